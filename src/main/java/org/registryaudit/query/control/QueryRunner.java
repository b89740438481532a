package org.registryaudit.query.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.problems.boundary.InvalidRequestException;
import org.registryaudit.query.entity.QueryResult;

/**
 * Runs a query: translates it for the database at hand, executes the one statement with its
 * parameters, bounded in rows and in time, and returns the Log Analytics shape.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class QueryRunner {

    private static final System.Logger LOG = System.getLogger(QueryRunner.class.getName());

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "registry-audit.query.max-rows")
    int maxRows;

    @Inject
    QueryDeadlines deadlines;

    public QueryResult run(String query, Visibility visibility) {
        return run(query, visibility, QueryBounds.NONE);
    }

    /** The same, reading only within the bounds, and stopped at their time limit if it is the lower. */
    public QueryResult run(String query, Visibility visibility, QueryBounds bounds) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            SqlDialect dialect = SqlDialect.of(connection.getMetaData().getDatabaseProductName());
            KqlTranslator.Translation translation = KqlTranslator.translate(
                    query, visibility, bounds, dialect, clock.instant().truncatedTo(ChronoUnit.MICROS));
            QueryResult result = execute(
                    connection, translation, maxRows, deadlines, started, deadlines.limit(bounds.timeoutSeconds()));
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "query of {0} rows in {1} ms",
                    result.tables().get(0).rows().size(),
                    (System.nanoTime() - started) / 1_000_000);
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Executes a translation; a query stopped by its time limit, or one that the data cannot
     * answer, is the caller's to change (400), any other failure is thrown as it is.
     */
    static QueryResult execute(
            Connection connection, KqlTranslator.Translation translation, int maxRows, QueryDeadlines deadlines)
            throws SQLException {
        return execute(connection, translation, maxRows, deadlines, System.nanoTime());
    }

    /**
     * The same, with the time limit counted from {@code startedNanos} (when the request came), so
     * that time spent waiting for a database connection counts too.
     */
    static QueryResult execute(
            Connection connection,
            KqlTranslator.Translation translation,
            int maxRows,
            QueryDeadlines deadlines,
            long startedNanos)
            throws SQLException {
        return execute(connection, translation, maxRows, deadlines, startedNanos, deadlines.timeoutSeconds());
    }

    /** The same, stopped after {@code timeoutSeconds} (the server's limit, or a query's own below it). */
    static QueryResult execute(
            Connection connection,
            KqlTranslator.Translation translation,
            int maxRows,
            QueryDeadlines deadlines,
            long startedNanos,
            int timeoutSeconds)
            throws SQLException {
        KqlTranslator.Translation limited = translation.limitedTo(maxRows + 1L);
        try (PreparedStatement statement = connection.prepareStatement(limited.sql());
                QueryDeadlines.Watch watch = deadlines.watch(statement, startedNanos, timeoutSeconds)) {
            bind(statement, limited.params());
            List<QueryResult.Column> columns = new ArrayList<>();
            List<ColumnType> types = new ArrayList<>();
            for (Map.Entry<String, ColumnType> c : translation.columns().entrySet()) {
                columns.add(new QueryResult.Column(c.getKey(), c.getValue().kusto()));
                types.add(c.getValue());
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == maxRows) {
                        throw new InvalidRequestException("the result has more than " + maxRows + " rows; narrow the "
                                + "query with where, or end it with take, top or summarize");
                    }
                    List<Object> row = new ArrayList<>(types.size());
                    for (int i = 0; i < types.size(); i++) {
                        row.add(value(rs, i + 1, types.get(i)));
                    }
                    rows.add(row);
                }
            }
            QueryResult result = translation.series() != null
                    ? series(translation.series(), columns, rows)
                    : QueryResult.primary(columns, rows);
            return result.rendered(translation.render());
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.equals("57014")) {
                throw new InvalidRequestException("the query ran longer than " + timeoutSeconds
                        + " s and was stopped; narrow its time range (where TimeGenerated > ago(1d)) or summarize in "
                        + "coarser bins");
            }
            if (state.startsWith("22")) {
                throw new InvalidRequestException("the query cannot be computed on this data: " + dataError(e));
            }
            throw e;
        }
    }

    /**
     * make-series rows: one per group of the keys, each aggregate an array over every bin (its
     * default where a bin had no row), and the bins' starts as the axis array.
     */
    static QueryResult series(KqlPlan.Series s, List<QueryResult.Column> columns, List<List<Object>> rows) {
        int keys = s.keys().size();
        Map<List<Object>, List<List<Object>>> groups = new java.util.LinkedHashMap<>();
        for (List<Object> row : rows) {
            List<List<Object>> arrays = groups.computeIfAbsent(new ArrayList<>(row.subList(0, keys)), k -> {
                List<List<Object>> filled = new ArrayList<>();
                for (Object d : s.defaults()) {
                    filled.add(new ArrayList<>(java.util.Collections.nCopies(s.bins(), d)));
                }
                return filled;
            });
            Instant bin = Instant.parse((String) row.get(keys));
            int index = (int) (java.time.Duration.between(s.from(), bin).getSeconds()
                    / s.step().getSeconds());
            if (index >= 0 && index < s.bins()) {
                for (int a = 0; a < s.aggregates().size(); a++) {
                    arrays.get(a).set(index, row.get(keys + 1 + a));
                }
            }
        }
        List<Object> axis = new ArrayList<>();
        for (int b = 0; b < s.bins(); b++) {
            axis.add(s.from().plus(s.step().multipliedBy(b)).toString());
        }
        List<QueryResult.Column> out = new ArrayList<>(columns.subList(0, keys));
        s.aggregates().forEach(a -> out.add(new QueryResult.Column(a, "dynamic")));
        out.add(new QueryResult.Column(s.axis(), "dynamic"));
        List<List<Object>> result = new ArrayList<>();
        groups.forEach((key, arrays) -> {
            List<Object> row = new ArrayList<>(key);
            row.addAll(arrays);
            row.add(axis);
            result.add(row);
        });
        return QueryResult.primary(out, result);
    }

    /**
     * What the database said, without the SQL it ran (H2 appends the statement, PostgreSQL its
     * position): "Division by zero", "value too long", "numeric field overflow".
     */
    static String dataError(SQLException e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        int sql = message.indexOf("; SQL statement");
        message = sql >= 0 ? message.substring(0, sql) : message;
        message = message.replaceFirst("^ERROR: ", "").replaceFirst("\\s*\\[\\d+-\\d+]$", "");
        return message + " (SQLSTATE " + e.getSQLState() + ")";
    }

    static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Instant t) {
                statement.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof Long n) {
                statement.setLong(i + 1, n);
            } else if (p instanceof Double d) {
                statement.setDouble(i + 1, d);
            } else if (p instanceof Boolean b) {
                statement.setBoolean(i + 1, b);
            } else {
                statement.setString(i + 1, (String) p);
            }
        }
    }

    private static Object value(ResultSet rs, int i, ColumnType type) throws SQLException {
        Object value = switch (type) {
            case DATETIME -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                yield t == null ? null : t.toInstant().toString();
            }
            case LONG, TIMESPAN -> rs.getLong(i);
            case REAL -> rs.getDouble(i);
            case BOOL -> rs.getBoolean(i);
            case STRING -> rs.getString(i);
        };
        return rs.wasNull() ? null : value;
    }
}
