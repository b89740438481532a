package org.registryaudit.query.control;

/**
 * Where H2 and PostgreSQL spell the same thing differently. Everything else the translator writes
 * is SQL that both take unchanged.
 */
enum SqlDialect {
    H2,
    POSTGRESQL;

    private static final String EPOCH = "TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'";

    static SqlDialect of(String databaseProductName) {
        return databaseProductName.toLowerCase(java.util.Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
    }

    /** The start of the bin of {@code time} (whole seconds long, bound twice as parameters), in UTC. */
    String binTime(String time) {
        return switch (this) {
            case POSTGRESQL ->
                "to_timestamp(CAST(floor(extract(epoch from " + time + ") / ?) * ? AS DOUBLE PRECISION))";
            case H2 ->
                "DATEADD(SECOND, CAST(FLOOR(DATEDIFF(SECOND, " + EPOCH + ", " + time + ") / ?) * ? AS BIGINT), " + EPOCH
                        + ")";
        };
    }

    /** A datetime moved by a whole number of microseconds, bound as a parameter. */
    SqlWriter.Sql shiftTime(SqlWriter.Sql time, long micros) {
        java.util.List<Object> params = new java.util.ArrayList<>();
        return switch (this) {
            case POSTGRESQL -> {
                params.addAll(time.params());
                params.add(micros);
                yield new SqlWriter.Sql("(" + time.sql() + " + CAST(? AS BIGINT) * INTERVAL '1 microsecond')", params);
            }
            case H2 -> {
                params.add(micros);
                params.addAll(time.params());
                yield new SqlWriter.Sql("DATEADD(MICROSECOND, CAST(? AS BIGINT), " + time.sql() + ")", params);
            }
        };
    }

    /** Group {@code group} (0: the whole match) of the first match of a regular expression, bound as a parameter. */
    SqlWriter.Sql extract(SqlWriter.Sql text, String regex, int group) {
        java.util.List<Object> params = new java.util.ArrayList<>(text.params());
        return switch (this) {
            case POSTGRESQL -> {
                params.add(group == 0 ? "(" + regex + ")" : regex);
                yield new SqlWriter.Sql(
                        "(regexp_match(" + text.sql() + ", CAST(? AS VARCHAR)))[" + Math.max(1, group) + "]", params);
            }
            case H2 -> {
                params.add(regex);
                yield new SqlWriter.Sql("REGEXP_SUBSTR(" + text.sql() + ", ?, 1, 1, 'c', " + group + ")", params);
            }
        };
    }

    /**
     * A datetime written in UTC by the parts of a Kusto format (specifiers such as yyyy, HH, fff,
     * or delimiters), the database's own format bound as a parameter.
     */
    SqlWriter.Sql formatDatetime(SqlWriter.Sql time, java.util.List<Object> parts) {
        StringBuilder format = new StringBuilder();
        StringBuilder literal = new StringBuilder(); // delimiters in a row: one quoted run for H2 ('' is a quote)
        for (Object p : parts) {
            String part = (String) p;
            char c = part.charAt(0);
            boolean one = part.length() == 1;
            if (!Character.isLetter(c)) {
                literal.append(part);
                continue;
            }
            if (literal.length() > 0) {
                format.append(this == H2 ? "'" + literal + "'" : literal);
                literal.setLength(0);
            }
            format.append(
                    switch (this) {
                        case POSTGRESQL ->
                            switch (c) {
                                case 'd' -> one ? "FMDD" : "DD";
                                case 'f' -> "FF" + part.length();
                                case 'h' -> one ? "FMHH12" : "HH12";
                                case 'H' -> one ? "FMHH24" : "HH24";
                                case 'm' -> one ? "FMMI" : "MI";
                                case 'M' -> one ? "FMMM" : "MM";
                                case 's' -> one ? "FMSS" : "SS";
                                case 'y' -> part.length() == 2 ? "YY" : "YYYY";
                                default -> "AM";
                            };
                        case H2 -> c == 'f' ? "S".repeat(part.length()) : c == 't' ? "a" : part;
                    });
        }
        if (literal.length() > 0) {
            format.append(this == H2 ? "'" + literal + "'" : literal);
        }
        java.util.List<Object> params = new java.util.ArrayList<>(time.params());
        params.add(format.toString());
        return switch (this) {
            case POSTGRESQL ->
                new SqlWriter.Sql("to_char(" + time.sql() + " AT TIME ZONE 'UTC', CAST(? AS VARCHAR))", params);
            case H2 -> new SqlWriter.Sql("FORMATDATETIME(" + time.sql() + ", CAST(? AS VARCHAR), 'en', 'UTC')", params);
        };
    }

    /** Case-sensitive match of a regular expression given as a parameter. */
    String matches(String text) {
        return switch (this) {
            case POSTGRESQL -> "(" + text + " ~ ?)";
            case H2 -> "REGEXP_LIKE(" + text + ", ?, 'c')";
        };
    }

    /** Case-insensitive match of a regular expression given as a parameter. */
    String matchesIgnoringCase(String text) {
        return switch (this) {
            case POSTGRESQL -> "(" + text + " ~* ?)";
            case H2 -> "REGEXP_LIKE(" + text + ", ?, 'i')";
        };
    }
}
