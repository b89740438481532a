package org.registryaudit.query.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.query.control.KqlPlan.Apply;
import org.registryaudit.query.control.KqlPlan.ColumnValue;
import org.registryaudit.query.control.KqlPlan.Constant;
import org.registryaudit.query.control.KqlPlan.Key;
import org.registryaudit.query.control.KqlPlan.Step;
import org.registryaudit.query.control.KqlPlan.Value;

/**
 * The last stage: a checked {@link KqlPlan} to one SQL statement of the dialect. Each step wraps the
 * one before as a derived table ({@code SELECT … FROM (…) qN}), which PostgreSQL flattens back into
 * index scans where the step allows it. The only text of the query that reaches the SQL is
 * identifiers (letters, digits, underscores, always double-quoted) and the row counts of take and
 * top (whole numbers, see {@link #limit}); every other value is a bind parameter, and every table is
 * read through {@link QueryTables#source}, inside the caller's access rules.
 */
final class SqlWriter {

    /** SQL with its parameters in order. */
    record Sql(String sql, List<Object> params) {}

    /** A written step: its SQL, and the order its rows keep (for the steps after it). */
    private record Written(String sql, List<Object> params, List<OrderKey> order) {}

    /** An order key as written: by a column of the step below where it names one, else by its SQL. */
    private record OrderKey(String column, String sql, List<Object> params, boolean desc, Boolean nullsFirst) {}

    private final Visibility visibility;
    private final QueryBounds bounds;
    private final SqlDialect dialect;
    private int derived;

    private SqlWriter(Visibility visibility, QueryBounds bounds, SqlDialect dialect) {
        this.visibility = visibility;
        this.bounds = bounds;
        this.dialect = dialect;
    }

    static Sql write(Step plan, Visibility visibility, QueryBounds bounds, SqlDialect dialect) {
        Written written = new SqlWriter(visibility, bounds, dialect).step(plan);
        return new Sql(written.sql(), written.params());
    }

    // ---- steps ----

    private Written step(Step step) {
        if (step instanceof KqlPlan.Table t) {
            List<Object> params = new ArrayList<>();
            return new Written(QueryTables.source(t.table(), visibility, bounds, params), params, List.of());
        } else if (step instanceof KqlPlan.Where w) {
            Written in = step(w.in());
            Sql condition = value(w.condition());
            String q = alias();
            return ordered(
                    "SELECT * FROM (" + in.sql() + ") " + q + " WHERE " + condition.sql(),
                    q,
                    concat(in.params(), condition.params()),
                    in.order(),
                    null);
        } else if (step instanceof KqlPlan.Select s) {
            return select(s);
        } else if (step instanceof KqlPlan.Summarize s) {
            return summarize(s);
        } else if (step instanceof KqlPlan.Top t) {
            Written in = step(t.in());
            OrderKey key = orderKey(t.key());
            String q = alias();
            return new Written(
                    "SELECT * FROM (" + in.sql() + ") " + q + " ORDER BY " + orderSql(key, q) + limit(t.rows()),
                    concat(in.params(), key.params()),
                    List.of(key));
        } else if (step instanceof KqlPlan.Take t) {
            Written in = step(t.in());
            String q = alias();
            List<Object> params = new ArrayList<>(in.params());
            StringBuilder sql = new StringBuilder("SELECT * FROM (" + in.sql() + ") " + q);
            appendOrder(sql, params, in.order(), q);
            sql.append(limit(t.rows()));
            return new Written(sql.toString(), params, in.order());
        } else if (step instanceof KqlPlan.Sort s) {
            Written in = step(s.in());
            List<OrderKey> keys = s.keys().stream().map(this::orderKey).toList();
            String q = alias();
            List<Object> params = new ArrayList<>(in.params());
            StringBuilder sql = new StringBuilder("SELECT * FROM (" + in.sql() + ") " + q);
            appendOrder(sql, params, keys, q);
            return new Written(sql.toString(), params, keys);
        } else if (step instanceof KqlPlan.Distinct d) {
            Written in = step(d.in());
            String q = alias();
            String columns = d.all()
                    ? "*"
                    : String.join(
                            ", ",
                            d.columns().keySet().stream().map(SqlWriter::quote).toList());
            return new Written("SELECT DISTINCT " + columns + " FROM (" + in.sql() + ") " + q, in.params(), List.of());
        } else if (step instanceof KqlPlan.Count c) {
            Written in = step(c.in());
            return new Written(
                    "SELECT COUNT(*) AS \"Count\" FROM (" + in.sql() + ") " + alias(), in.params(), List.of());
        } else if (step instanceof KqlPlan.Union u) {
            return union(u);
        } else if (step instanceof KqlPlan.Join j) {
            return join(j);
        } else if (step instanceof KqlPlan.Render r) {
            return step(r.in());
        } else if (step instanceof KqlPlan.MakeSeries m) {
            return step(m.in());
        } else if (step instanceof KqlPlan.ArgExtreme x) {
            return argExtreme(x);
        }
        throw new IllegalStateException(String.valueOf(step));
    }

    /** SELECT of named values over the step before; keeps its order where the columns pass through. */
    private Written select(KqlPlan.Select s) {
        Written in = step(s.in());
        List<String> select = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        Set<String> passedThrough = new LinkedHashSet<>();
        s.items().forEach((name, e) -> {
            Sql value = value(e);
            select.add(value.sql() + " AS " + quote(name));
            params.addAll(value.params());
            if (e instanceof ColumnValue c && c.name().equals(name)) {
                passedThrough.add(name);
            }
        });
        String q = alias();
        return ordered(
                "SELECT " + String.join(", ", select) + " FROM (" + in.sql() + ") " + q,
                q,
                concat(params, in.params()),
                in.order(),
                passedThrough);
    }

    /** Keys are computed in an inner SELECT under names no query can write (k#1), then grouped. */
    private Written summarize(KqlPlan.Summarize s) {
        Written in = step(s.in());
        List<String> inner = new ArrayList<>();
        s.in().columns().keySet().forEach(c -> inner.add(quote(c)));
        List<Object> innerParams = new ArrayList<>();
        List<String> outer = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, Value> key : s.keys().entrySet()) {
            String internal = quote("k#" + (++k));
            Sql value = value(key.getValue());
            inner.add(value.sql() + " AS " + internal);
            innerParams.addAll(value.params());
            outer.add(internal + " AS " + quote(key.getKey()));
            groupBy.add(internal);
        }
        List<Object> outerParams = new ArrayList<>();
        s.aggregates().forEach((name, e) -> {
            Sql value = value(e);
            outer.add(value.sql() + " AS " + quote(name));
            outerParams.addAll(value.params());
        });
        String q = alias();
        String q2 = alias();
        String sql = "SELECT " + String.join(", ", outer) + " FROM (SELECT " + String.join(", ", inner) + " FROM ("
                + in.sql() + ") " + q + ") " + q2
                + (groupBy.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupBy));
        return new Written(sql, concat(outerParams, concat(innerParams, in.params())), List.of());
    }

    /**
     * The keys and the compared value computed under names no query can write (k#1, x#), each
     * group's rows numbered from its extreme, and the first of each kept.
     */
    private Written argExtreme(KqlPlan.ArgExtreme x) {
        Written in = step(x.in());
        List<String> inner = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        List<String> partition = new ArrayList<>();
        List<String> outer = new ArrayList<>();
        int k = 0;
        String q = alias();
        for (Map.Entry<String, Value> key : x.keys().entrySet()) {
            String internal = quote("k#" + (++k));
            Sql value = value(key.getValue());
            inner.add(value.sql() + " AS " + internal);
            params.addAll(value.params());
            partition.add(internal);
            outer.add(internal + " AS " + quote(key.getKey()));
        }
        Sql by = value(x.by());
        inner.add(by.sql() + " AS " + quote("x#"));
        params.addAll(by.params());
        if (!x.keys().containsKey(x.byName())) {
            outer.add(quote("x#") + " AS " + quote(x.byName()));
        }
        x.take().forEach(c -> outer.add(quote(c)));
        String q1 = alias();
        String q2 = alias();
        String numbered = "SELECT " + q1 + ".*, ROW_NUMBER() OVER ("
                + (partition.isEmpty() ? "" : "PARTITION BY " + String.join(", ", partition) + " ")
                + "ORDER BY " + quote("x#") + (x.max() ? " DESC" : " ASC") + ") AS " + quote("n#")
                + " FROM (SELECT " + q + ".*, " + String.join(", ", inner) + " FROM (" + in.sql() + ") " + q + ") "
                + q1 + " WHERE " + quote("x#") + " IS NOT NULL";
        return new Written(
                "SELECT " + String.join(", ", outer) + " FROM (" + numbered + ") " + q2 + " WHERE " + quote("n#")
                        + " = 1",
                concat(params, in.params()),
                List.of());
    }

    /** inner and leftouter as SQL joins; leftsemi and leftanti as [NOT] EXISTS, which keep each left row once. */
    private Written join(KqlPlan.Join j) {
        Written left = step(j.left());
        Written right = step(j.right());
        String a = alias();
        String b = alias();
        List<String> on = new ArrayList<>();
        for (KqlPlan.JoinKey k : j.keys()) {
            String l = a + "." + quote(k.left());
            String r = b + "." + quote(k.right());
            on.add(k.missingIsEmpty() ? "COALESCE(" + l + ", '') = COALESCE(" + r + ", '')" : l + " = " + r);
        }
        String condition = String.join(" AND ", on);
        List<Object> params = concat(left.params(), right.params());
        if (j.kind().equals("leftsemi") || j.kind().equals("leftanti")) {
            return new Written(
                    "SELECT * FROM (" + left.sql() + ") " + a + " WHERE "
                            + (j.kind().equals("leftanti") ? "NOT " : "") + "EXISTS (SELECT 1 FROM (" + right.sql()
                            + ") " + b + " WHERE " + condition + ")",
                    params,
                    List.of());
        }
        List<String> select = new ArrayList<>();
        j.left().columns().keySet().forEach(c -> select.add(a + "." + quote(c) + " AS " + quote(c)));
        j.rightNames().forEach((c, out) -> select.add(b + "." + quote(c) + " AS " + quote(out)));
        return new Written(
                "SELECT " + String.join(", ", select) + " FROM (" + left.sql() + ") " + a
                        + (j.kind().equals("inner") ? " INNER JOIN (" : " LEFT JOIN (") + right.sql() + ") " + b
                        + " ON " + condition,
                params,
                List.of());
    }

    private Written union(KqlPlan.Union u) {
        List<Written> sides = u.sides().stream().map(this::step).toList();
        List<String> selects = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            LinkedHashMap<String, ColumnType> own = u.sides().get(i).columns();
            List<String> select = new ArrayList<>();
            u.columns()
                    .forEach((name, type) -> select.add(
                            own.containsKey(name)
                                    ? quote(name)
                                    : "CAST(NULL AS " + type.sql() + ") AS " + quote(name)));
            selects.add("SELECT " + String.join(", ", select) + " FROM ("
                    + sides.get(i).sql() + ") " + alias());
            params.addAll(sides.get(i).params());
        }
        return new Written("SELECT * FROM (" + String.join(" UNION ALL ", selects) + ") " + alias(), params, List.of());
    }

    /**
     * A step that keeps the order of the one before, for the keys whose columns pass through (all
     * of them when {@code passedThrough} is null). The keys are written against the derived table
     * {@code q}, so an output column of the same name cannot shadow them.
     */
    private static Written ordered(
            String sql, String q, List<Object> params, List<OrderKey> order, Set<String> passedThrough) {
        List<OrderKey> kept = order.stream()
                .filter(k -> k.column() != null)
                .filter(k -> passedThrough == null || passedThrough.contains(k.column()))
                .toList();
        StringBuilder ordered = new StringBuilder(sql);
        List<Object> all = new ArrayList<>(params);
        appendOrder(ordered, all, kept, q);
        return new Written(ordered.toString(), all, kept);
    }

    private OrderKey orderKey(Key key) {
        Sql value = value(key.value());
        return new OrderKey(key.value().column(), value.sql(), value.params(), key.desc(), key.nullsFirst());
    }

    private static void appendOrder(StringBuilder sql, List<Object> params, List<OrderKey> keys, String q) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (OrderKey key : keys) {
            parts.add(orderSql(key, q));
            params.addAll(key.params());
        }
        sql.append(" ORDER BY ").append(String.join(", ", parts));
    }

    private static String orderSql(OrderKey key, String q) {
        String target = key.column() != null ? q + "." + quote(key.column()) : key.sql();
        String nulls = key.nullsFirst() == null ? "" : key.nullsFirst() ? " NULLS FIRST" : " NULLS LAST";
        return target + (key.desc() ? " DESC" : " ASC") + nulls;
    }

    /**
     * The one value written into the SQL rather than bound: a row count, which the parser has
     * already read as a whole number from 0 to KqlParser.MAX_TAKE (so it is digits only). As a parameter,
     * PostgreSQL would plan the statement anew on every run, finding its generic plan (which
     * assumes a tenth of the rows) dearer than the one for the real count.
     */
    private static String limit(long rows) {
        return " LIMIT " + rows;
    }

    // ---- values ----

    private Sql value(Value v) {
        if (v instanceof Constant c) {
            // typed in the SQL: H2 cannot tell a bare parameter's type where no column gives it (SELECT ?)
            String sqlType = c.value() instanceof String text
                    ? "VARCHAR(" + Math.max(1, text.length()) + ")"
                    : c.type().sql();
            return new Sql("CAST(? AS " + sqlType + ")", List.of(c.value()));
        } else if (v instanceof ColumnValue c) {
            return new Sql(quote(c.name()), List.of());
        } else if (v instanceof Apply a) {
            return apply(a);
        }
        throw new IllegalStateException(String.valueOf(v));
    }

    private Sql apply(Apply a) {
        List<Sql> args = a.args().stream().map(this::value).toList();
        Sql x = args.isEmpty() ? null : args.get(0);
        return switch (a.function()) {
            case AND, OR -> binary(args, a.function().name());
            case COMPARE -> binary(args, a.op().equals("==") ? "=" : a.op().equals("!=") ? "<>" : a.op());
            case ARITHMETIC -> binary(args, a.op());
            case CASELESS_EQUALITY -> {
                String equal = "LOWER(COALESCE(" + x.sql() + ", '')) = LOWER(COALESCE("
                        + args.get(1).sql() + ", ''))";
                yield new Sql(
                        a.op().equals("=~") ? "(" + equal + ")" : "(NOT (" + equal + "))",
                        concat(x.params(), args.get(1).params()));
            }
            case STRING_EQUALITY -> stringEquality(a, x, args.get(1));
            case STRING_TEST -> stringTest(a, x);
            case IN -> {
                List<Object> params = new ArrayList<>(x.params());
                List<String> marks = new ArrayList<>();
                for (Object item : a.extra()) {
                    marks.add("?");
                    params.add(item);
                }
                String list = x.sql() + (a.op().equals("in") ? " IN (" : " NOT IN (") + String.join(", ", marks) + ")";
                if (a.op().equals("!in") && a.args().get(0).type() == ColumnType.STRING) {
                    list = list + " OR " + x.sql() + " IS NULL";
                    params.addAll(x.params());
                }
                yield new Sql("(" + list + ")", params);
            }
            case NEGATE -> new Sql("(-" + x.sql() + ")", x.params());
            case IS_EMPTY -> {
                boolean positive = a.op().equals("isempty");
                String sql = positive
                        ? x.sql() + " IS NULL OR " + x.sql() + " = ''"
                        : x.sql() + " IS NOT NULL AND " + x.sql() + " <> ''";
                yield new Sql("(" + sql + ")", concat(x.params(), x.params()));
            }
            case IS_NULL -> {
                boolean positive = a.op().equals("isempty") || a.op().equals("isnull");
                yield new Sql("(" + x.sql() + (positive ? " IS NULL" : " IS NOT NULL") + ")", x.params());
            }
            case NOT -> new Sql("(NOT " + x.sql() + ")", x.params());
            case LOWER -> new Sql("LOWER(" + x.sql() + ")", x.params());
            case UPPER -> new Sql("UPPER(" + x.sql() + ")", x.params());
            case STRLEN -> new Sql("CAST(CHAR_LENGTH(COALESCE(" + x.sql() + ", '')) AS BIGINT)", x.params());
            case CHOICE -> choice(args, a.type());
            case SHIFT_TIME -> dialect.shiftTime(x, (Long) a.extra().get(0));
            case CONVERT -> convert(x, a.args().get(0).type(), a.type());
            case FORMAT_DATETIME -> dialect.formatDatetime(x, a.extra());
            case TO_DATETIME -> toDatetime(x);
            case EXTRACT ->
                dialect.extract(x, (String) a.extra().get(0), ((Long) a.extra().get(1)).intValue());
            case BIN_TIME ->
                new Sql(dialect.binTime(x.sql()), twice(x.params(), a.extra().get(0)));
            case BIN_LONG ->
                new Sql(
                        "CAST(FLOOR(CAST(" + x.sql() + " AS DOUBLE PRECISION) / ?) * ? AS BIGINT)",
                        twice(x.params(), a.extra().get(0)));
            case COUNT -> new Sql("COUNT(*)", List.of());
            case COUNTIF -> new Sql("SUM(CASE WHEN " + x.sql() + " THEN 1 ELSE 0 END)", x.params());
            case DCOUNT -> new Sql("COUNT(DISTINCT " + x.sql() + ")", x.params());
            // the fraction is a checked number from 0 to 1, written as a literal: H2 takes no parameter there
            case PERCENTILE ->
                new Sql(
                        "PERCENTILE_DISC("
                                + java.math.BigDecimal.valueOf(
                                                (Double) a.extra().get(0))
                                        .toPlainString() + ") WITHIN GROUP (ORDER BY " + x.sql() + ")",
                        x.params());
            case AVG -> new Sql("AVG(CAST(" + x.sql() + " AS DOUBLE PRECISION))", x.params());
            case SUM, MIN, MAX -> new Sql(a.function().name() + "(" + x.sql() + ")", x.params());
        };
    }

    /** CASE WHEN c THEN v … ELSE e END; a real result casts each value, since the branches may mix numbers. */
    private static Sql choice(List<Sql> args, ColumnType type) {
        StringBuilder sql = new StringBuilder("CASE");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Sql arg = args.get(i);
            boolean condition = i % 2 == 0 && i < args.size() - 1;
            String value =
                    !condition && type == ColumnType.REAL ? "CAST(" + arg.sql() + " AS DOUBLE PRECISION)" : arg.sql();
            sql.append(condition ? " WHEN " : i == args.size() - 1 ? " ELSE " : " THEN ")
                    .append(value);
            params.addAll(arg.params());
        }
        return new Sql(sql.append(" END").toString(), params);
    }

    private static final String ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    private static final String ISO_LOCAL =
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?$";
    private static final String ISO_ZONED =
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$";

    /**
     * An ISO 8601 date, or date and time with seconds, in UTC unless it names its offset; anything
     * else is a missing value, as in Kusto (a date that passes the form but not the calendar, such
     * as 2026-02-30, is the database's error: a 400).
     */
    private Sql toDatetime(Sql x) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("CASE");
        String[][] forms = {{ISO_DATE, " || ' 00:00:00+00:00'"}, {ISO_LOCAL, " || '+00:00'"}, {ISO_ZONED, ""}};
        for (String[] form : forms) {
            sql.append(" WHEN ")
                    .append(dialect.matches(x.sql()))
                    .append(" THEN CAST(")
                    .append(x.sql())
                    .append(form[1])
                    .append(" AS TIMESTAMP WITH TIME ZONE)");
            params.addAll(x.params());
            params.add(form[0]);
            params.addAll(x.params());
        }
        return new Sql(sql.append(" END").toString(), params);
    }

    private static final String WHOLE = "^[+-]?[0-9]{1,18}$";
    private static final String REAL = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$";

    private Sql convert(Sql x, ColumnType from, ColumnType to) {
        if (from == to) {
            return x;
        }
        if (from == ColumnType.BOOL) {
            String t = to == ColumnType.STRING ? "'true'" : to == ColumnType.LONG ? "CAST(1 AS BIGINT)" : "1.0E0";
            String f = to == ColumnType.STRING ? "'false'" : to == ColumnType.LONG ? "CAST(0 AS BIGINT)" : "0.0E0";
            return new Sql(
                    "CASE WHEN " + x.sql() + " THEN " + t + " WHEN NOT " + x.sql() + " THEN " + f + " END",
                    concat(x.params(), x.params()));
        }
        if (to == ColumnType.STRING) {
            return new Sql("CAST(" + x.sql() + " AS VARCHAR(20))", x.params());
        }
        String type = to == ColumnType.LONG ? "BIGINT" : "DOUBLE PRECISION";
        if (from == ColumnType.STRING) {
            List<Object> params = new ArrayList<>(x.params());
            params.add(to == ColumnType.LONG ? WHOLE : REAL);
            params.addAll(x.params());
            return new Sql(
                    "CASE WHEN " + dialect.matches(x.sql()) + " THEN CAST(" + x.sql() + " AS " + type + ") END",
                    params);
        }
        return new Sql(
                from == ColumnType.REAL && to == ColumnType.LONG
                        ? "CAST(TRUNC(" + x.sql() + ") AS BIGINT)"
                        : "CAST(" + x.sql() + " AS " + type + ")",
                x.params());
    }

    private static Sql binary(List<Sql> args, String op) {
        return new Sql(
                "(" + args.get(0).sql() + " " + op + " " + args.get(1).sql() + ")",
                concat(args.get(0).params(), args.get(1).params()));
    }

    /** Kusto strings are never null: a missing value is "", so it equals "" and differs from "x". */
    private static Sql stringEquality(Apply a, Sql left, Sql right) {
        boolean equal = a.op().equals("==");
        Value leftValue = a.args().get(0);
        Value rightValue = a.args().get(1);
        Sql column = leftValue instanceof Constant ? right : left;
        Value constant = leftValue instanceof Constant ? leftValue : rightValue instanceof Constant ? rightValue : null;
        List<Object> params = concat(left.params(), right.params());
        String sql;
        if (constant == null) {
            sql = "COALESCE(" + left.sql() + ", '') " + (equal ? "=" : "<>") + " COALESCE(" + right.sql() + ", '')";
        } else if (((String) ((Constant) constant).value()).isEmpty()) {
            sql = equal
                    ? column.sql() + " IS NULL OR " + column.sql() + " = ''"
                    : column.sql() + " IS NOT NULL AND " + column.sql() + " <> ''";
            params = concat(column.params(), column.params());
        } else {
            sql = equal
                    ? left.sql() + " = " + right.sql()
                    : left.sql() + " <> " + right.sql() + " OR " + column.sql() + " IS NULL";
            if (!equal) {
                params = concat(params, column.params());
            }
        }
        return new Sql("(" + sql + ")", params);
    }

    private Sql stringTest(Apply a, Sql left) {
        boolean negated = a.op().startsWith("!");
        String value = (String) a.extra().get(0);
        List<Object> params = new ArrayList<>(left.params());
        String like = "LOWER(" + left.sql() + ") LIKE ? ESCAPE '\\'";
        String test;
        switch (negated ? a.op().substring(1) : a.op()) {
            case "has" -> {
                test = dialect.matchesIgnoringCase(left.sql());
                params.add("(^|[^A-Za-z0-9])" + regexQuote(value) + "($|[^A-Za-z0-9])");
            }
            case "contains" -> {
                test = like;
                params.add("%" + likeQuote(value) + "%");
            }
            case "startswith" -> {
                test = like;
                params.add(likeQuote(value) + "%");
            }
            default -> {
                test = like;
                params.add("%" + likeQuote(value));
            }
        }
        if (negated) {
            // A missing string is "", which contains nothing but "": the negation holds for it.
            test = "(" + left.sql() + " IS NULL OR NOT (" + test + "))";
            params.addAll(0, left.params());
        }
        return new Sql("(" + test + ")", params);
    }

    // ---- text ----

    private String alias() {
        return "q" + (++derived);
    }

    /** Identifiers are letters, digits and underscores only (the lexer's rule), so quoting them is safe. */
    static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    static String likeQuote(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static String regexQuote(String value) {
        StringBuilder quoted = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != ' ') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.toString();
    }

    private static List<Object> twice(List<Object> params, Object value) {
        List<Object> all = new ArrayList<>(params);
        all.add(value);
        all.add(value);
        return all;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }
}
