package org.registryaudit.query.control;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.query.control.Token.Kind;

/**
 * Reads a query in the Kusto subset and writes one SQL statement for it, in a single pass. Each
 * operator after a {@code |} wraps what came before as a derived table ({@code SELECT … FROM (…) qN}),
 * which PostgreSQL flattens back into index scans where the operator allows it. The translator
 * tracks every stage's columns and their types, so an unknown column or a type mismatch is a syntax
 * error with its line and column, never a database error. The only text of the query that reaches
 * the SQL is identifiers (letters, digits, underscores, always double-quoted) and the row counts of
 * take and top (whole numbers, see {@link #limit}); every other value is a bind parameter, and every
 * table is read through {@link QueryTables#source}, inside the caller's access rules.
 */
final class KqlTranslator {

    static final int MAX_IDENTIFIER_LENGTH = 60;
    static final long MAX_TAKE = 1_000_000;

    private static final java.util.regex.Pattern TRAILING_LIMIT = java.util.regex.Pattern.compile(" LIMIT (\\d+)$");

    /** The statement, its parameters in order, and the result's columns. */
    record Translation(String sql, List<Object> params, Map<String, ColumnType> columns) {

        /**
         * The statement that reads at most {@code rows} rows, limited in the SQL itself: a JDBC
         * row limit would make PostgreSQL run the statement without parallel workers. A query that
         * ends in take or top already has its LIMIT, which is lowered to {@code rows} if above it.
         */
        Translation limitedTo(long rows) {
            java.util.regex.Matcher last = TRAILING_LIMIT.matcher(sql);
            if (last.find()) {
                return Long.parseLong(last.group(1)) <= rows
                        ? this
                        : new Translation(sql.substring(0, last.start()) + " LIMIT " + rows, params, columns);
            }
            return new Translation(sql + " LIMIT " + rows, params, columns);
        }
    }

    /** nullsFirst is null where the key is never null: a NULLS clause would keep the database off its index. */
    private record OrderKey(String column, String sql, List<Object> params, boolean desc, Boolean nullsFirst) {}

    /** A step of the pipeline: its SQL, its columns, those never null, and the order it keeps. */
    private record Stage(
            String sql,
            List<Object> params,
            LinkedHashMap<String, ColumnType> columns,
            Set<String> notNull,
            List<OrderKey> order) {}

    /**
     * A translated expression. {@code constant} is its value when the query fixes it (literals,
     * ago(), now(), datetime()); {@code column} is the name when it is a plain column reference.
     */
    private record Expr(
            String sql,
            List<Object> params,
            ColumnType type,
            Object constant,
            Token at,
            String column,
            boolean aggregate) {

        /** Typed in the SQL: H2 cannot tell a bare parameter's type where no column gives it (SELECT ?). */
        static Expr constant(Object value, ColumnType type, Token at) {
            String sqlType = value instanceof String text ? "VARCHAR(" + Math.max(1, text.length()) + ")" : type.sql();
            return new Expr("CAST(? AS " + sqlType + ")", List.of(value), type, value, at, null, false);
        }

        boolean isConstant() {
            return constant != null;
        }
    }

    private final List<Token> tokens;
    private final Visibility visibility;
    private final SqlDialect dialect;
    private final Instant now;
    private int next;
    private int derived;

    private KqlTranslator(List<Token> tokens, Visibility visibility, SqlDialect dialect, Instant now) {
        this.tokens = tokens;
        this.visibility = visibility;
        this.dialect = dialect;
        this.now = now;
    }

    static Translation translate(String query, Visibility visibility, SqlDialect dialect, Instant now) {
        KqlTranslator translator = new KqlTranslator(KqlLexer.tokens(query), visibility, dialect, now);
        Stage stage = translator.query();
        Token end = translator.peek();
        if (end.kind() != Kind.END) {
            throw error(end, "expected '|' or the end of the query, found " + end.describe());
        }
        return new Translation(stage.sql(), stage.params(), stage.columns());
    }

    // ---- tabular expressions ----

    private Stage query() {
        Stage stage = tabular();
        while (accept("|")) {
            stage = operator(stage);
        }
        return stage;
    }

    private Stage tabular() {
        Token t = peek();
        if (t.is("union")) {
            next();
            List<Stage> sides = unionSides();
            Stage first = sides.remove(0);
            return union(first, sides, t);
        }
        if (accept("(")) {
            Stage inner = query();
            expect(")");
            return inner;
        }
        return table(next());
    }

    private Stage table(Token name) {
        if (name.kind() != Kind.IDENTIFIER) {
            throw error(
                    name,
                    "expected a table name (" + String.join(", ", QueryTables.ALL.keySet()) + "), found "
                            + name.describe());
        }
        QueryTables.Table table = QueryTables.ALL.get(name.text());
        if (table == null) {
            String suggestion = closest(name.text(), QueryTables.ALL.keySet())
                    .map(n -> "; did you mean " + n + "?")
                    .orElse("; the tables are " + String.join(", ", QueryTables.ALL.keySet()));
            throw error(name, "unknown table '" + name.text() + "'" + suggestion);
        }
        List<Object> params = new ArrayList<>();
        String sql = QueryTables.source(table, visibility, params);
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        table.columns().forEach((column, c) -> columns.put(column, c.type()));
        return new Stage(sql, params, columns, table.notNull(), List.of());
    }

    private List<Stage> unionSides() {
        List<Stage> sides = new ArrayList<>();
        do {
            if (accept("(")) {
                sides.add(query());
                expect(")");
            } else {
                sides.add(table(next()));
            }
        } while (accept(","));
        return sides;
    }

    private Stage operator(Stage in) {
        Token op = next();
        if (op.kind() != Kind.IDENTIFIER) {
            throw error(
                    op,
                    "expected an operator after '|' (where, project, extend, summarize, top, take, sort, "
                            + "distinct, count, union), found " + op.describe());
        }
        return switch (op.text()) {
            case "where", "filter" -> where(in);
            case "project" -> project(in);
            case "extend" -> extend(in);
            case "summarize" -> summarize(in);
            case "top" -> top(in);
            case "take", "limit" -> take(in);
            case "sort", "order" -> sort(in);
            case "distinct" -> distinct(in);
            case "count" -> count(in);
            case "union" -> union(in, unionSides(), op);
            default ->
                throw error(
                        op,
                        "unknown or unsupported operator '" + op.text() + "'; supported: where, project, "
                                + "extend, summarize, top, take, limit, sort, order, distinct, count, union");
        };
    }

    private Stage where(Stage in) {
        Expr condition = expression(in, false);
        Token after = peek();
        if (after.kind() == Kind.IDENTIFIER
                || after.kind() == Kind.SYMBOL
                        && after.text().startsWith("!")
                        && after.text().length() > 1) {
            throw error(
                    after,
                    "unknown operator '" + after.text() + "'"
                            + closest(after.text(), WORD_OPERATORS)
                                    .map(o -> "; did you mean " + o + "?")
                                    .orElse("; the operators are ==, !=, <, <=, >, >=, =~, !~, "
                                            + String.join(", ", WORD_OPERATORS)));
        }
        requireType(condition, ColumnType.BOOL, "where needs a condition");
        String q = alias();
        return orderedStage(
                in,
                "SELECT * FROM (" + in.sql() + ") " + q + " WHERE " + condition.sql(),
                q,
                concat(in.params(), condition.params()),
                in.columns(),
                in.notNull(),
                in.order(),
                null);
    }

    private Stage project(Stage in) {
        LinkedHashMap<String, Expr> items = new LinkedHashMap<>();
        do {
            Token at = peek();
            String name = assignedName();
            Expr e = expression(in, false);
            if (name == null) {
                name = e.column() != null ? e.column() : "Column" + (items.size() + 1);
            }
            if (items.containsKey(name)) {
                throw error(at, "the column '" + name + "' is projected twice");
            }
            items.put(name, e);
        } while (accept(","));
        return selectStage(in, items);
    }

    private Stage extend(Stage in) {
        LinkedHashMap<String, Expr> items = new LinkedHashMap<>();
        in.columns().forEach((name, type) -> items.put(name, column(name, type, null)));
        int unnamed = 0;
        do {
            String name = assignedName();
            items.put(name != null ? name : "Column" + (++unnamed), expression(in, false));
        } while (accept(","));
        return selectStage(in, items);
    }

    /** The name of {@code name = expression}, consumed with its '='; null (nothing consumed) without one. */
    private String assignedName() {
        if (peek().kind() == Kind.IDENTIFIER && peek(1).is("=")) {
            String name = identifier(next());
            next();
            return name;
        }
        return null;
    }

    /** SELECT of named expressions over the previous stage; keeps its order where the columns pass through. */
    private Stage selectStage(Stage in, LinkedHashMap<String, Expr> items) {
        List<String> select = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        items.forEach((name, e) -> {
            requireValue(e);
            select.add(e.sql() + " AS " + quote(name));
            params.addAll(e.params());
            columns.put(name, e.type());
        });
        Set<String> passedThrough = new LinkedHashSet<>();
        Set<String> notNull = new LinkedHashSet<>();
        items.forEach((name, e) -> {
            if (e.sql().equals(quote(name))) {
                passedThrough.add(name);
            }
            if (notNull(in, e)) {
                notNull.add(name);
            }
        });
        String q = alias();
        return orderedStage(
                in,
                "SELECT " + String.join(", ", select) + " FROM (" + in.sql() + ") " + q,
                q,
                concat(params, in.params()),
                columns,
                notNull,
                in.order(),
                passedThrough);
    }

    /** Column references and bins of columns never null, constants, and counts are never null. */
    private static boolean notNull(Stage in, Expr e) {
        if (e.aggregate()) {
            return e.sql().startsWith("COUNT(") || e.sql().startsWith("SUM(CASE");
        }
        return e.isConstant() || e.column() != null && in.notNull().contains(e.column());
    }

    private Stage summarize(Stage in) {
        LinkedHashMap<String, Expr> aggregates = new LinkedHashMap<>();
        if (!peek().is("by")) {
            do {
                Token at = peek();
                String name = assignedName();
                Expr e = expression(in, true);
                if (!e.aggregate()) {
                    throw error(
                            at,
                            "summarize needs an aggregation here (count(), countif(), dcount(), sum(), min(), "
                                    + "max(), avg())");
                }
                name = name != null ? name : e.column();
                if (aggregates.containsKey(name)) {
                    throw error(at, "the column '" + name + "' is summarized twice; name one, as in n2 = count()");
                }
                aggregates.put(name, e);
            } while (accept(","));
        }
        LinkedHashMap<String, Expr> keys = new LinkedHashMap<>();
        if (accept("by")) {
            do {
                Token at = peek();
                String name = assignedName();
                Expr e = expression(in, false);
                requireValue(e);
                name = name != null ? name : e.column() != null ? e.column() : "Column" + (keys.size() + 1);
                if (keys.containsKey(name) || aggregates.containsKey(name)) {
                    throw error(at, "the column '" + name + "' appears twice in summarize");
                }
                keys.put(name, e);
            } while (accept(","));
        }
        if (aggregates.isEmpty() && keys.isEmpty()) {
            throw error(peek(), "summarize needs an aggregation or a by clause");
        }
        // Keys are computed in an inner SELECT under names no query can write (k#1), then grouped.
        List<String> inner = new ArrayList<>();
        in.columns().keySet().forEach(c -> inner.add(quote(c)));
        List<Object> innerParams = new ArrayList<>();
        List<String> outer = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        Set<String> notNull = new LinkedHashSet<>();
        int k = 0;
        for (Map.Entry<String, Expr> key : keys.entrySet()) {
            String internal = quote("k#" + (++k));
            inner.add(key.getValue().sql() + " AS " + internal);
            innerParams.addAll(key.getValue().params());
            outer.add(internal + " AS " + quote(key.getKey()));
            groupBy.add(internal);
            columns.put(key.getKey(), key.getValue().type());
            if (notNull(in, key.getValue())) {
                notNull.add(key.getKey());
            }
        }
        List<Object> outerParams = new ArrayList<>();
        aggregates.forEach((name, e) -> {
            outer.add(e.sql() + " AS " + quote(name));
            outerParams.addAll(e.params());
            columns.put(name, e.type());
            if (notNull(in, e)) {
                notNull.add(name);
            }
        });
        String q = alias();
        String q2 = alias();
        String sql = "SELECT " + String.join(", ", outer) + " FROM (SELECT " + String.join(", ", inner) + " FROM ("
                + in.sql() + ") " + q + ") " + q2
                + (groupBy.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupBy));
        return new Stage(sql, concat(outerParams, concat(innerParams, in.params())), columns, notNull, List.of());
    }

    private Stage top(Stage in) {
        long n = count(next(), "top");
        expect("by");
        OrderKey key = orderKey(in);
        String q = alias();
        return new Stage(
                "SELECT * FROM (" + in.sql() + ") " + q + " ORDER BY " + orderSql(key, q) + limit(n),
                concat(in.params(), key.params()),
                in.columns(),
                in.notNull(),
                List.of(key));
    }

    private Stage take(Stage in) {
        long n = count(next(), "take");
        String q = alias();
        List<Object> params = new ArrayList<>(in.params());
        StringBuilder sql = new StringBuilder("SELECT * FROM (")
                .append(in.sql())
                .append(") ")
                .append(q);
        appendOrder(sql, params, in.order(), q);
        sql.append(limit(n));
        return new Stage(sql.toString(), params, in.columns(), in.notNull(), in.order());
    }

    /**
     * The one value written into the SQL rather than bound: a row count, which the parser has
     * already read as a whole number from 0 to MAX_TAKE (so it is digits only). As a parameter,
     * PostgreSQL would plan the statement anew on every run, finding its generic plan (which
     * assumes a tenth of the rows) dearer than the one for the real count.
     */
    private static String limit(long rows) {
        return " LIMIT " + rows;
    }

    private Stage sort(Stage in) {
        expect("by");
        List<OrderKey> keys = new ArrayList<>();
        do {
            keys.add(orderKey(in));
        } while (accept(","));
        String q = alias();
        List<Object> params = new ArrayList<>(in.params());
        StringBuilder sql = new StringBuilder("SELECT * FROM (")
                .append(in.sql())
                .append(") ")
                .append(q);
        appendOrder(sql, params, keys, q);
        return new Stage(sql.toString(), params, in.columns(), in.notNull(), keys);
    }

    private Stage distinct(Stage in) {
        String q = alias();
        if (accept("*")) {
            return new Stage(
                    "SELECT DISTINCT * FROM (" + in.sql() + ") " + q,
                    in.params(),
                    in.columns(),
                    in.notNull(),
                    List.of());
        }
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        do {
            Token at = next();
            String name = identifier(at);
            columns.put(name, columnType(in, name, at));
        } while (accept(","));
        List<String> select =
                columns.keySet().stream().map(KqlTranslator::quote).toList();
        return new Stage(
                "SELECT DISTINCT " + String.join(", ", select) + " FROM (" + in.sql() + ") " + q,
                in.params(),
                columns,
                in.notNull(),
                List.of());
    }

    private Stage count(Stage in) {
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        columns.put("Count", ColumnType.LONG);
        return new Stage(
                "SELECT COUNT(*) AS \"Count\" FROM (" + in.sql() + ") " + alias(),
                in.params(),
                columns,
                Set.of("Count"),
                List.of());
    }

    /** Kusto's outer union: every column of every side, NULL where a side lacks it. */
    private Stage union(Stage first, List<Stage> others, Token at) {
        List<Stage> sides = new ArrayList<>();
        sides.add(first);
        sides.addAll(others);
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        for (Stage side : sides) {
            side.columns().forEach((name, type) -> {
                ColumnType existing = columns.putIfAbsent(name, type);
                if (existing != null && existing != type) {
                    throw error(
                            at,
                            "the column '" + name + "' is " + existing.kusto() + " on one side of the union and "
                                    + type.kusto() + " on another");
                }
            });
        }
        Set<String> notNull = new LinkedHashSet<>(columns.keySet());
        sides.forEach(side -> notNull.retainAll(side.notNull()));
        List<String> selects = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Stage side : sides) {
            List<String> select = new ArrayList<>();
            columns.forEach((name, type) -> select.add(
                    side.columns().containsKey(name)
                            ? quote(name)
                            : "CAST(NULL AS " + type.sql() + ") AS " + quote(name)));
            selects.add("SELECT " + String.join(", ", select) + " FROM (" + side.sql() + ") " + alias());
            params.addAll(side.params());
        }
        return new Stage(
                "SELECT * FROM (" + String.join(" UNION ALL ", selects) + ") " + alias(),
                params,
                columns,
                notNull,
                List.of());
    }

    private OrderKey orderKey(Stage in) {
        Expr e = expression(in, false);
        requireValue(e);
        boolean desc = true;
        if (accept("asc")) {
            desc = false;
        } else {
            accept("desc");
        }
        Boolean nullsFirst = notNull(in, e) ? null : !desc;
        if (accept("nulls")) {
            Token which = next();
            if (!which.is("first") && !which.is("last")) {
                throw error(which, "expected first or last after nulls, found " + which.describe());
            }
            nullsFirst = which.is("first");
        }
        return new OrderKey(e.column(), e.sql(), e.params(), desc, nullsFirst);
    }

    /**
     * A stage that keeps the order of the one before, for the keys whose columns pass through (all
     * of them when {@code passedThrough} is null). The keys are written against the derived table
     * {@code q}, so an output column of the same name cannot shadow them.
     */
    private Stage orderedStage(
            Stage in,
            String sql,
            String q,
            List<Object> params,
            LinkedHashMap<String, ColumnType> columns,
            Set<String> notNull,
            List<OrderKey> order,
            Set<String> passedThrough) {
        List<OrderKey> kept = order.stream()
                .filter(k -> k.column() != null)
                .filter(k -> passedThrough == null || passedThrough.contains(k.column()))
                .toList();
        StringBuilder ordered = new StringBuilder(sql);
        List<Object> all = new ArrayList<>(params);
        appendOrder(ordered, all, kept, q);
        return new Stage(ordered.toString(), all, columns, notNull, kept);
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

    private long count(Token t, String operator) {
        if (t.kind() != Kind.NUMBER || !(t.value() instanceof Long n) || n < 0 || n > MAX_TAKE) {
            throw error(
                    t, operator + " needs a whole number of rows from 0 to " + MAX_TAKE + ", found " + t.describe());
        }
        return n;
    }

    // ---- scalar expressions ----

    private Expr expression(Stage in, boolean aggregates) {
        return logicalLevel(in, aggregates, "or");
    }

    /** or binds looser than and, which binds looser than a comparison. */
    private Expr logicalLevel(Stage in, boolean aggregates, String word) {
        Expr left = word.equals("or") ? logicalLevel(in, aggregates, "and") : comparison(in, aggregates);
        while (peek().is(word)) {
            Token at = next();
            Expr right = word.equals("or") ? logicalLevel(in, aggregates, "and") : comparison(in, aggregates);
            left = logical(word.toUpperCase(Locale.ROOT), left, right, at);
        }
        return left;
    }

    private Expr logical(String op, Expr left, Expr right, Token at) {
        requireType(left, ColumnType.BOOL, op.toLowerCase(Locale.ROOT) + " joins conditions");
        requireType(right, ColumnType.BOOL, op.toLowerCase(Locale.ROOT) + " joins conditions");
        return new Expr(
                "(" + left.sql() + " " + op + " " + right.sql() + ")",
                concat(left.params(), right.params()),
                ColumnType.BOOL,
                null,
                at,
                null,
                left.aggregate() || right.aggregate());
    }

    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=", "=~", "!~");
    private static final List<String> STRING_OPERATORS =
            List.of("contains", "!contains", "startswith", "!startswith", "endswith", "!endswith", "has", "!has");
    /** The operators written as words, for the message about a misspelt one. */
    private static final List<String> WORD_OPERATORS = java.util.stream.Stream.concat(
                    STRING_OPERATORS.stream(), java.util.stream.Stream.of("in", "!in", "and", "or"))
            .toList();

    private Expr comparison(Stage in, boolean aggregates) {
        Expr left = additive(in, aggregates);
        Token op = peek();
        if (op.kind() == Kind.SYMBOL && COMPARISONS.contains(op.text())) {
            next();
            return compare(left, op, additive(in, aggregates));
        }
        if (STRING_OPERATORS.contains(op.text()) && op.kind() != Kind.STRING) {
            next();
            return stringOperator(left, op, additive(in, aggregates));
        }
        if ((op.is("in") || op.is("!in")) && op.kind() != Kind.STRING) {
            next();
            return in(left, op, in, aggregates);
        }
        return left;
    }

    private Expr compare(Expr left, Token op, Expr right) {
        requireValue(left);
        requireValue(right);
        List<Object> params = concat(left.params(), right.params());
        boolean aggregate = left.aggregate() || right.aggregate();
        if (op.text().equals("=~") || op.text().equals("!~")) {
            requireType(left, ColumnType.STRING, op.text() + " compares strings");
            requireType(right, ColumnType.STRING, op.text() + " compares strings");
            String equal = "LOWER(COALESCE(" + left.sql() + ", '')) = LOWER(COALESCE(" + right.sql() + ", ''))";
            return new Expr(
                    op.text().equals("=~") ? "(" + equal + ")" : "(NOT (" + equal + "))",
                    params,
                    ColumnType.BOOL,
                    null,
                    op,
                    null,
                    aggregate);
        }
        if (!comparable(left.type(), right.type())) {
            throw error(
                    op,
                    "cannot compare " + describe(left) + " (" + left.type().kusto() + ") with " + describe(right) + " ("
                            + right.type().kusto() + ")");
        }
        String sqlOp = op.text().equals("==") ? "=" : op.text().equals("!=") ? "<>" : op.text();
        if (left.type() == ColumnType.STRING
                && (op.text().equals("==") || op.text().equals("!="))) {
            return stringEquality(left, right, op, params, aggregate);
        }
        if (left.type() == ColumnType.BOOL
                && !op.text().equals("==")
                && !op.text().equals("!=")) {
            throw error(op, "bool values can only be compared with == and !=");
        }
        return new Expr(
                "(" + left.sql() + " " + sqlOp + " " + right.sql() + ")",
                params,
                ColumnType.BOOL,
                null,
                op,
                null,
                aggregate);
    }

    /** Kusto strings are never null: a missing value is "", so it equals "" and differs from "x". */
    private Expr stringEquality(Expr left, Expr right, Token op, List<Object> params, boolean aggregate) {
        boolean equal = op.text().equals("==");
        Expr column = left.isConstant() ? right : left;
        Expr constant = left.isConstant() ? left : right.isConstant() ? right : null;
        String sql;
        if (constant == null) {
            sql = "COALESCE(" + left.sql() + ", '') " + (equal ? "=" : "<>") + " COALESCE(" + right.sql() + ", '')";
        } else if (((String) constant.constant()).isEmpty()) {
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
        return new Expr("(" + sql + ")", params, ColumnType.BOOL, null, op, null, aggregate);
    }

    private Expr stringOperator(Expr left, Token op, Expr right) {
        requireType(left, ColumnType.STRING, op.text() + " tests strings");
        if (!right.isConstant() || right.type() != ColumnType.STRING) {
            throw error(
                    right.at(), op.text() + " needs a string literal on its right, as in " + op.text() + " \"text\"");
        }
        boolean negated = op.text().startsWith("!");
        String value = ((String) right.constant()).toLowerCase(Locale.ROOT);
        List<Object> params = new ArrayList<>(left.params());
        String test;
        switch (negated ? op.text().substring(1) : op.text()) {
            case "has" -> {
                test = dialect.matchesIgnoringCase(left.sql());
                params.add("(^|[^A-Za-z0-9])" + regexQuote(value) + "($|[^A-Za-z0-9])");
            }
            case "contains" -> {
                test = "LOWER(" + left.sql() + ") LIKE ? ESCAPE '\\'";
                params.add("%" + likeQuote(value) + "%");
            }
            case "startswith" -> {
                test = "LOWER(" + left.sql() + ") LIKE ? ESCAPE '\\'";
                params.add(likeQuote(value) + "%");
            }
            default -> {
                test = "LOWER(" + left.sql() + ") LIKE ? ESCAPE '\\'";
                params.add("%" + likeQuote(value));
            }
        }
        if (negated) {
            // A missing string is "", which contains nothing but "": the negation holds for it.
            test = "(" + left.sql() + " IS NULL OR NOT (" + test + "))";
            params.addAll(0, left.params());
        }
        return new Expr("(" + test + ")", params, ColumnType.BOOL, null, op, null, left.aggregate());
    }

    private Expr in(Expr left, Token op, Stage stage, boolean aggregates) {
        requireValue(left);
        expect("(");
        List<String> marks = new ArrayList<>();
        List<Object> params = new ArrayList<>(left.params());
        do {
            Expr item = additive(stage, aggregates);
            if (!item.isConstant()) {
                throw error(item.at(), op.text() + " takes a list of literals");
            }
            if (!comparable(left.type(), item.type())) {
                throw error(
                        item.at(),
                        "cannot compare " + describe(left) + " (" + left.type().kusto() + ") with " + describe(item)
                                + " (" + item.type().kusto() + ")");
            }
            marks.add("?");
            params.add(item.constant());
        } while (accept(","));
        expect(")");
        String list = left.sql() + (op.is("in") ? " IN (" : " NOT IN (") + String.join(", ", marks) + ")";
        if (op.is("!in") && left.type() == ColumnType.STRING) {
            list = list + " OR " + left.sql() + " IS NULL";
            params.addAll(left.params());
        }
        return new Expr("(" + list + ")", params, ColumnType.BOOL, null, op, null, left.aggregate());
    }

    private Expr additive(Stage in, boolean aggregates) {
        return arithmeticLevel(in, aggregates, true);
    }

    /** + and - bind looser than * and /. */
    private Expr arithmeticLevel(Stage in, boolean aggregates, boolean additive) {
        Expr left = additive ? arithmeticLevel(in, aggregates, false) : unary(in, aggregates);
        while (additive ? peek().is("+") || peek().is("-") : peek().is("*") || peek().is("/")) {
            Token op = next();
            left = arithmetic(left, op, additive ? arithmeticLevel(in, aggregates, false) : unary(in, aggregates));
        }
        return left;
    }

    private Expr arithmetic(Expr left, Token op, Expr right) {
        String o = op.text();
        if (left.isConstant() && right.isConstant()) {
            Object folded = fold(left, o, right);
            if (folded != null) {
                return Expr.constant(folded, typeOf(folded), left.at());
            }
        }
        if (!left.type().numeric() || !right.type().numeric()) {
            throw error(
                    op,
                    "'" + o + "' works on numbers (and on constant datetimes and timespans, such as now() - 1h); "
                            + describe(left) + " is " + left.type().kusto() + ", " + describe(right) + " is "
                            + right.type().kusto());
        }
        ColumnType type =
                left.type() == ColumnType.REAL || right.type() == ColumnType.REAL ? ColumnType.REAL : ColumnType.LONG;
        return new Expr(
                "(" + left.sql() + " " + o + " " + right.sql() + ")",
                concat(left.params(), right.params()),
                type,
                null,
                op,
                null,
                left.aggregate() || right.aggregate());
    }

    private Object fold(Expr left, String op, Expr right) {
        Object a = left.constant();
        Object b = right.constant();
        if (a instanceof Instant t && b instanceof Duration d && (op.equals("+") || op.equals("-"))) {
            return op.equals("+") ? t.plus(d) : t.minus(d);
        }
        if (a instanceof Duration d && b instanceof Instant t && op.equals("+")) {
            return t.plus(d);
        }
        if (a instanceof Duration x && b instanceof Duration y && (op.equals("+") || op.equals("-"))) {
            return op.equals("+") ? x.plus(y) : x.minus(y);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                default -> y == 0 ? null : x / y;
            };
        }
        return null;
    }

    private Expr unary(Stage in, boolean aggregates) {
        if (peek().is("-")) {
            Token minus = next();
            Expr e = unary(in, aggregates);
            if (e.constant() instanceof Long n) {
                return Expr.constant(-n, ColumnType.LONG, minus);
            }
            if (e.constant() instanceof Double n) {
                return Expr.constant(-n, ColumnType.REAL, minus);
            }
            if (e.constant() instanceof Duration d) {
                return Expr.constant(d.negated(), ColumnType.TIMESPAN, minus);
            }
            if (!e.type().numeric()) {
                throw error(
                        minus,
                        "'-' negates numbers; " + describe(e) + " is "
                                + e.type().kusto());
            }
            return new Expr("(-" + e.sql() + ")", e.params(), e.type(), null, minus, null, e.aggregate());
        }
        return primary(in, aggregates);
    }

    private Expr primary(Stage in, boolean aggregates) {
        Token t = next();
        switch (t.kind()) {
            case NUMBER:
                return Expr.constant(t.value(), t.value() instanceof Long ? ColumnType.LONG : ColumnType.REAL, t);
            case STRING:
                return Expr.constant(t.value(), ColumnType.STRING, t);
            case TIMESPAN:
                return Expr.constant(t.value(), ColumnType.TIMESPAN, t);
            case IDENTIFIER:
                if (peek().is("(")) {
                    next();
                    return call(t, in, aggregates);
                }
                if (t.text().equals("true") || t.text().equals("false")) {
                    return Expr.constant(Boolean.valueOf(t.text()), ColumnType.BOOL, t);
                }
                return column(identifier(t), columnType(in, t.text(), t), t);
            default:
                if (t.is("(")) {
                    Expr inner = expression(in, aggregates);
                    expect(")");
                    return inner;
                }
                throw error(t, "expected a column, a literal or a function, found " + t.describe());
        }
    }

    private static Expr column(String name, ColumnType type, Token at) {
        return new Expr(quote(name), List.of(), type, null, at, name, false);
    }

    private Expr call(Token name, Stage in, boolean aggregates) {
        String f = name.text();
        boolean aggregate =
                Set.of("count", "countif", "dcount", "sum", "min", "max", "avg").contains(f);
        if (aggregate && !aggregates) {
            throw error(name, f + "() is an aggregation; it belongs in summarize");
        }
        List<Expr> args = new ArrayList<>();
        if (!accept(")")) {
            do {
                args.add(expression(in, false));
            } while (accept(","));
            expect(")");
        }
        if (aggregate) {
            return aggregation(name, args);
        }
        return switch (f) {
            case "ago" -> {
                Duration d = timespanArgument(name, args, 0, 1);
                yield Expr.constant(now.minus(d), ColumnType.DATETIME, name);
            }
            case "now" -> {
                if (args.isEmpty()) {
                    yield Expr.constant(now, ColumnType.DATETIME, name);
                }
                yield Expr.constant(now.plus(timespanArgument(name, args, 0, 1)), ColumnType.DATETIME, name);
            }
            case "datetime" -> {
                arity(name, args, 1);
                if (!(args.get(0).constant() instanceof String text)) {
                    throw error(name, "datetime() takes a date and time, such as datetime(2026-11-21T10:00:00Z)");
                }
                yield Expr.constant(datetime(text, args.get(0).at()), ColumnType.DATETIME, name);
            }
            case "bin", "floor" -> bin(name, args);
            case "isempty", "isnotempty", "isnull", "isnotnull" -> {
                arity(name, args, 1);
                Expr x = args.get(0);
                requireValue(x);
                boolean positive = f.equals("isempty") || f.equals("isnull");
                boolean emptyString = x.type() == ColumnType.STRING && f.endsWith("empty");
                String sql = emptyString
                        ? positive
                                ? x.sql() + " IS NULL OR " + x.sql() + " = ''"
                                : x.sql() + " IS NOT NULL AND " + x.sql() + " <> ''"
                        : x.sql() + (positive ? " IS NULL" : " IS NOT NULL");
                yield new Expr(
                        "(" + sql + ")",
                        emptyString ? concat(x.params(), x.params()) : x.params(),
                        ColumnType.BOOL,
                        null,
                        name,
                        null,
                        false);
            }
            case "not" -> {
                arity(name, args, 1);
                requireType(args.get(0), ColumnType.BOOL, "not() negates a condition");
                yield new Expr(
                        "(NOT " + args.get(0).sql() + ")",
                        args.get(0).params(),
                        ColumnType.BOOL,
                        null,
                        name,
                        null,
                        false);
            }
            case "tolower", "toupper" -> {
                arity(name, args, 1);
                requireType(args.get(0), ColumnType.STRING, f + "() takes a string");
                yield new Expr(
                        (f.equals("tolower") ? "LOWER(" : "UPPER(")
                                + args.get(0).sql() + ")",
                        args.get(0).params(),
                        ColumnType.STRING,
                        null,
                        name,
                        null,
                        false);
            }
            case "strlen" -> {
                arity(name, args, 1);
                requireType(args.get(0), ColumnType.STRING, "strlen() takes a string");
                yield new Expr(
                        "CAST(CHAR_LENGTH(COALESCE(" + args.get(0).sql() + ", '')) AS BIGINT)",
                        args.get(0).params(),
                        ColumnType.LONG,
                        null,
                        name,
                        null,
                        false);
            }
            default ->
                throw error(
                        name,
                        "unknown function " + f + "(); supported: ago, now, datetime, bin, isempty, "
                                + "isnotempty, isnull, isnotnull, not, tolower, toupper, strlen, and in summarize count, countif, "
                                + "dcount, sum, min, max, avg");
        };
    }

    private Expr aggregation(Token name, List<Expr> args) {
        String f = name.text();
        if (f.equals("count")) {
            arity(name, args, 0);
            return new Expr("COUNT(*)", List.of(), ColumnType.LONG, null, name, "count_", true);
        }
        arity(name, args, 1);
        Expr x = args.get(0);
        requireValue(x);
        String label = f + "_" + (x.column() != null ? x.column() : "");
        return switch (f) {
            case "countif" -> {
                requireType(x, ColumnType.BOOL, "countif() counts the rows where a condition holds");
                yield new Expr(
                        "SUM(CASE WHEN " + x.sql() + " THEN 1 ELSE 0 END)",
                        x.params(),
                        ColumnType.LONG,
                        null,
                        name,
                        "countif_",
                        true);
            }
            case "dcount" ->
                new Expr("COUNT(DISTINCT " + x.sql() + ")", x.params(), ColumnType.LONG, null, name, label, true);
            case "sum" -> {
                requireNumber(x, "sum()");
                yield new Expr("SUM(" + x.sql() + ")", x.params(), x.type(), null, name, label, true);
            }
            case "avg" -> {
                requireNumber(x, "avg()");
                yield new Expr(
                        "AVG(CAST(" + x.sql() + " AS DOUBLE PRECISION))",
                        x.params(),
                        ColumnType.REAL,
                        null,
                        name,
                        label,
                        true);
            }
            default ->
                new Expr(
                        f.toUpperCase(Locale.ROOT) + "(" + x.sql() + ")",
                        x.params(),
                        x.type(),
                        null,
                        name,
                        label,
                        true);
        };
    }

    private Expr bin(Token name, List<Expr> args) {
        arity(name, args, 2);
        Expr x = args.get(0);
        Expr size = args.get(1);
        if (x.type() == ColumnType.DATETIME) {
            if (!(size.constant() instanceof Duration d) || d.isNegative() || d.isZero() || d.getNano() != 0) {
                throw error(size.at(), "bin() of a datetime needs a timespan of whole seconds, such as 1h or 5m");
            }
            List<Object> params = new ArrayList<>(x.params());
            params.add(d.getSeconds());
            params.add(d.getSeconds());
            return new Expr(dialect.binTime(x.sql()), params, ColumnType.DATETIME, null, name, x.column(), false);
        }
        if (x.type() == ColumnType.LONG && size.constant() instanceof Long n && n > 0) {
            List<Object> params = new ArrayList<>(x.params());
            params.add(n);
            params.add(n);
            return new Expr(
                    "CAST(FLOOR(CAST(" + x.sql() + " AS DOUBLE PRECISION) / ?) * ? AS BIGINT)",
                    params,
                    ColumnType.LONG,
                    null,
                    name,
                    x.column(),
                    false);
        }
        throw error(
                name,
                "bin() takes a datetime and a timespan (bin(TimeGenerated, 1h)) or a long and a positive "
                        + "whole number (bin(Size, 1000))");
    }

    private Duration timespanArgument(Token name, List<Expr> args, int index, int arity) {
        arity(name, args, arity);
        if (!(args.get(index).constant() instanceof Duration d)) {
            throw error(args.get(index).at(), name.text() + "() takes a timespan, such as 1d, 2h or 30m");
        }
        return d;
    }

    static Instant datetime(String text, Token at) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            // try the forms without an offset, which Kusto reads as UTC
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // a date alone?
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw error(
                    at,
                    "'" + text + "' is not a date and time; write it as 2026-11-21, 2026-11-21 10:00:00 or "
                            + "2026-11-21T10:00:00Z");
        }
    }

    // ---- checks ----

    private static boolean comparable(ColumnType a, ColumnType b) {
        return a == b || (a.numeric() && b.numeric());
    }

    private static void arity(Token name, List<Expr> args, int n) {
        if (args.size() != n) {
            throw error(
                    name, name.text() + "() takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + args.size());
        }
    }

    private static void requireType(Expr e, ColumnType type, String why) {
        if (e.type() != type) {
            throw error(e.at(), why + "; " + describe(e) + " is " + e.type().kusto() + ", not " + type.kusto());
        }
    }

    private static void requireNumber(Expr e, String what) {
        if (!e.type().numeric()) {
            throw error(
                    e.at(),
                    what + " needs a number; " + describe(e) + " is " + e.type().kusto());
        }
    }

    /** A timespan exists only at translation time (ago, bin, datetime arithmetic); it is not a column value. */
    private static void requireValue(Expr e) {
        if (e.type() == ColumnType.TIMESPAN) {
            throw error(
                    e.at(),
                    "a timespan can be used with ago(), now(), bin() and datetime arithmetic, "
                            + "not as a value of its own");
        }
    }

    private static String describe(Expr e) {
        if (e.column() != null && !e.aggregate()) {
            return e.column();
        }
        return e.at() != null && e.at().kind() != Kind.END ? e.at().text() : "the expression";
    }

    private ColumnType columnType(Stage in, String name, Token at) {
        ColumnType type = in.columns().get(name);
        if (type == null) {
            String suggestion = closest(name, in.columns().keySet())
                    .map(c -> "; did you mean " + c + "? (names are case-sensitive)")
                    .orElse("; the columns here are "
                            + String.join(", ", in.columns().keySet()));
            throw error(at, "unknown column '" + name + "'" + suggestion);
        }
        return type;
    }

    private static String identifier(Token t) {
        if (t.kind() != Kind.IDENTIFIER) {
            throw error(t, "expected a column name, found " + t.describe());
        }
        if (t.text().length() > MAX_IDENTIFIER_LENGTH) {
            throw error(t, "a column name has at most " + MAX_IDENTIFIER_LENGTH + " characters");
        }
        return t.text();
    }

    /** The name a typo most likely meant: the same ignoring case, or at most 2 edits away. */
    static java.util.Optional<String> closest(String typed, java.util.Collection<String> names) {
        String best = null;
        int bestDistance = 3;
        for (String name : names) {
            int d = name.equalsIgnoreCase(typed)
                    ? 0
                    : distance(name.toLowerCase(Locale.ROOT), typed.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    // ---- tokens and text ----

    private Token peek() {
        return tokens.get(next);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.END) {
            next++;
        }
        return t;
    }

    private boolean accept(String symbolOrWord) {
        if (peek().is(symbolOrWord)) {
            next();
            return true;
        }
        return false;
    }

    private void expect(String symbolOrWord) {
        Token t = next();
        if (!t.is(symbolOrWord)) {
            throw error(t, "expected '" + symbolOrWord + "', found " + t.describe());
        }
    }

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

    private static ColumnType typeOf(Object constant) {
        if (constant instanceof Instant) {
            return ColumnType.DATETIME;
        }
        if (constant instanceof Duration) {
            return ColumnType.TIMESPAN;
        }
        return constant instanceof Double ? ColumnType.REAL : ColumnType.LONG;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    private static QuerySyntaxException error(Token at, String message) {
        return new QuerySyntaxException(at.line(), at.column(), message);
    }
}
