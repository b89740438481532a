package org.registryaudit.query.control;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * What a query may read beyond the caller's access rules, as the Log Analytics API sets it: a
 * time window on every table's time column ({@code timespan}), the login servers of a workspace or
 * of one registry's resource, and a time limit of its own ({@code Prefer: wait=…}) below the
 * server's. Applied where the tables are read, like the access rules, so no query reaches past it.
 *
 * @param from the first instant read (inclusive), or null
 * @param to the end of the window (exclusive), or null
 * @param loginServers the login servers whose rows are read; null for all
 * @param timeoutSeconds at most this long, if below the server's limit; 0 for the server's limit
 */
public record QueryBounds(Instant from, Instant to, Set<String> loginServers, int timeoutSeconds) {

    public static final QueryBounds NONE = new QueryBounds(null, null, null, 0);

    /** The instants a database column holds: a window beyond them ends there (Azure's clients send ±999999999 years for "all"). */
    static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

    public QueryBounds {
        loginServers = loginServers == null ? null : Set.copyOf(loginServers);
        from = from == null || from.isAfter(FIRST) ? from : FIRST;
        to = to == null || to.isBefore(LAST) ? to : LAST;
    }

    public QueryBounds within(Set<String> servers) {
        return new QueryBounds(from, to, servers, timeoutSeconds);
    }

    public QueryBounds waiting(int seconds) {
        return new QueryBounds(from, to, loginServers, seconds);
    }

    /**
     * The window of an ISO 8601 duration ({@code PT1H}, {@code P1D}, {@code P2W}: up to now) or
     * interval ({@code start/end}, {@code start/duration}, {@code duration/end}), as the API's
     * {@code timespan} takes it; null or blank for no window.
     */
    public static QueryBounds timespan(String timespan, Instant now) {
        if (timespan == null || timespan.isBlank()) {
            return NONE;
        }
        String[] parts = timespan.trim().split("/", -1);
        try {
            Instant from;
            Instant to;
            if (parts.length == 1) {
                to = now;
                from = minus(now, duration(parts[0]));
            } else if (parts.length == 2 && isDuration(parts[0])) {
                to = instant(parts[1]);
                from = minus(to, duration(parts[0]));
            } else if (parts.length == 2) {
                from = instant(parts[0]);
                to = isDuration(parts[1]) ? plus(from, duration(parts[1])) : instant(parts[1]);
            } else {
                throw new DateTimeParseException("more than one /", timespan, 0);
            }
            if (!from.isBefore(to)) {
                throw new InvalidRequestException(
                        "timespan: '" + timespan + "' ends before it starts; the start comes first");
            }
            return new QueryBounds(from, to, null, 0);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidRequestException("timespan: '" + abbreviated(timespan)
                    + "' is no ISO 8601 duration (PT1H, P1D) or interval (2026-12-01T00:00:00Z/2026-12-02T00:00:00Z, "
                    + "2026-12-01T00:00:00Z/PT6H, PT6H/2026-12-02T00:00:00Z)");
        }
    }

    private static Instant minus(Instant t, Duration d) {
        return d.compareTo(Duration.between(FIRST, t)) >= 0 ? FIRST : t.minus(d);
    }

    private static Instant plus(Instant t, Duration d) {
        return d.compareTo(Duration.between(t, LAST)) >= 0 ? LAST : t.plus(d);
    }

    private static boolean isDuration(String text) {
        return text.startsWith("P") || text.startsWith("-P");
    }

    /** A duration with days and time (P1DT2H, PT30M), or weeks, months and years counted as 7, 30 and 365 days. */
    private static Duration duration(String text) {
        Duration duration;
        int time = text.indexOf('T');
        if (text.matches("P\\d+[WMY]") || (time < 0 && text.matches("P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?"))) {
            Period period = Period.parse(text);
            duration = Duration.ofDays(period.getYears() * 365L + period.getMonths() * 30L + period.getDays());
        } else {
            duration = Duration.parse(text);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new DateTimeParseException("not positive", text, 0);
        }
        return duration;
    }

    private static Instant instant(String text) {
        Instant t = OffsetDateTime.parse(text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$") ? text : text + "Z")
                .toInstant();
        return t.isBefore(FIRST) ? FIRST : t.isAfter(LAST) ? LAST : t;
    }

    private static String abbreviated(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** The conditions on a table read: its time column and its login server; null if there are none. */
    String condition(String timeColumn, String serverColumn, List<Object> params) {
        StringBuilder sql = new StringBuilder();
        if (from != null) {
            sql.append(timeColumn).append(" >= ? AND ").append(timeColumn).append(" < ?");
            params.add(from);
            params.add(to);
        }
        if (loginServers != null) {
            sql.append(sql.length() == 0 ? "" : " AND ");
            if (loginServers.isEmpty()) {
                sql.append("1 = 0");
            } else {
                sql.append(serverColumn)
                        .append(" IN (")
                        .append(String.join(", ", java.util.Collections.nCopies(loginServers.size(), "?")))
                        .append(')');
                params.addAll(loginServers.stream().sorted().toList());
            }
        }
        return sql.length() == 0 ? null : sql.toString();
    }
}
