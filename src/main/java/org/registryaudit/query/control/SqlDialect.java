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
