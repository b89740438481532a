package org.registryaudit.query.control;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.platform.entity.Visibility;

/**
 * A query in the Kusto subset to one SQL statement, in four stages, each in its own class:
 * {@link KqlLexer} (text to tokens), {@link KqlParser} (tokens to a {@link KqlSyntax} tree: the
 * grammar's errors), {@link KqlChecker} (the tree to a typed {@link KqlPlan}: unknown names, type
 * mismatches, constants folded) and {@link SqlWriter} (the plan to SQL with every user value as a
 * bind parameter, every table read inside the caller's access rules). Every error is a
 * {@link QuerySyntaxException} with the line and column of the query where it lies, never a
 * database error.
 */
final class KqlTranslator {

    private static final Pattern TRAILING_LIMIT = Pattern.compile(" LIMIT (\\d+)$");

    /** The statement, its parameters in order, and the result's columns. */
    /** {@code series}: how the rows become make-series rows; null for any other query. */
    record Translation(
            String sql, List<Object> params, Map<String, ColumnType> columns, String render, KqlPlan.Series series) {

        Translation(String sql, List<Object> params, Map<String, ColumnType> columns) {
            this(sql, params, columns, null, null);
        }

        /**
         * The statement that reads at most {@code rows} rows, limited in the SQL itself: a JDBC
         * row limit would make PostgreSQL run the statement without parallel workers. A query that
         * ends in take or top already has its LIMIT, which is lowered to {@code rows} if above it.
         */
        Translation limitedTo(long rows) {
            Matcher last = TRAILING_LIMIT.matcher(sql);
            if (last.find()) {
                return Long.parseLong(last.group(1)) <= rows
                        ? this
                        : new Translation(
                                sql.substring(0, last.start()) + " LIMIT " + rows, params, columns, render, series);
            }
            return new Translation(sql + " LIMIT " + rows, params, columns, render, series);
        }
    }

    private KqlTranslator() {}

    /** {@code now}: the instant of ago() and now(), the same for the whole query. */
    static Translation translate(String query, Visibility visibility, SqlDialect dialect, Instant now) {
        return translate(query, visibility, QueryBounds.NONE, dialect, now);
    }

    /** The same, every table read within the bounds as well. */
    static Translation translate(
            String query, Visibility visibility, QueryBounds bounds, SqlDialect dialect, Instant now) {
        KqlPlan.Step plan = KqlChecker.check(KqlParser.parse(KqlLexer.tokens(query)), now);
        SqlWriter.Sql sql = SqlWriter.write(plan, visibility, bounds, dialect);
        KqlPlan.Step last = plan instanceof KqlPlan.Render r ? r.in() : plan;
        return new Translation(
                sql.sql(),
                sql.params(),
                plan.columns(),
                plan instanceof KqlPlan.Render r ? r.visualization() : null,
                last instanceof KqlPlan.MakeSeries m ? m.series() : null);
    }
}
