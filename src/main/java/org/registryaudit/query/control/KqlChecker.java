package org.registryaudit.query.control;

import static org.registryaudit.query.control.KqlParser.error;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.query.control.KqlPlan.Apply;
import org.registryaudit.query.control.KqlPlan.ColumnValue;
import org.registryaudit.query.control.KqlPlan.Constant;
import org.registryaudit.query.control.KqlPlan.Function;
import org.registryaudit.query.control.KqlPlan.Key;
import org.registryaudit.query.control.KqlPlan.Step;
import org.registryaudit.query.control.KqlPlan.Value;
import org.registryaudit.query.control.KqlSyntax.Item;
import org.registryaudit.query.control.Token.Kind;

/**
 * The third stage: the syntax tree to a {@link KqlPlan}. Resolves tables and columns (suggesting
 * the name a typo meant), types every expression and refuses what does not fit (comparing a number
 * with a string, a timespan as a value, an aggregation outside summarize), and folds what the query
 * fixes ({@code ago(1d)}, {@code now() - 2h}, {@code 2 * 3}) into constants. {@code now} is the
 * instant every time function of the query reads.
 */
final class KqlChecker {

    private static final Set<String> AGGREGATIONS =
            Set.of("count", "countif", "dcount", "sum", "min", "max", "avg", "percentile");

    private final Instant now;

    private KqlChecker(Instant now) {
        this.now = now;
    }

    static Step check(KqlSyntax.Query query, Instant now) {
        return new KqlChecker(now).query(query);
    }

    // ---- tabular expressions ----

    private Step query(KqlSyntax.Query query) {
        Step step = source(query.source());
        for (KqlSyntax.Operator operator : query.operators()) {
            step = operator(step, operator);
        }
        return step;
    }

    private Step source(KqlSyntax.Source source) {
        if (source instanceof KqlSyntax.TableRef t) {
            return table(t.name());
        } else if (source instanceof KqlSyntax.Nested n) {
            return query(n.query());
        } else if (source instanceof KqlSyntax.UnionSource u) {
            return union(u.sides().stream().map(this::source).toList(), u.at());
        }
        throw new IllegalStateException(String.valueOf(source));
    }

    private Step table(Token name) {
        QueryTables.Table table = QueryTables.ALL.get(name.text());
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        table.columns().forEach((column, c) -> columns.put(column, c.type()));
        return new KqlPlan.Table(table, columns, table.notNull());
    }

    private Step operator(Step in, KqlSyntax.Operator operator) {
        if (operator instanceof KqlSyntax.Where w) {
            Value condition = value(in, w.condition(), false);
            requireType(condition, ColumnType.BOOL, "where needs a condition");
            return new KqlPlan.Where(in, condition, in.columns(), in.notNull());
        } else if (operator instanceof KqlSyntax.Project p) {
            return project(in, p.items());
        } else if (operator instanceof KqlSyntax.Extend e) {
            return extend(in, e.items());
        } else if (operator instanceof KqlSyntax.Summarize s) {
            return summarize(in, s);
        } else if (operator instanceof KqlSyntax.Top t) {
            return new KqlPlan.Top(in, t.rows(), key(in, t.key()), in.columns(), in.notNull());
        } else if (operator instanceof KqlSyntax.Take t) {
            return new KqlPlan.Take(in, t.rows(), in.columns(), in.notNull());
        } else if (operator instanceof KqlSyntax.Sort s) {
            List<Key> keys = new ArrayList<>();
            s.keys().forEach(k -> keys.add(key(in, k)));
            return new KqlPlan.Sort(in, keys, in.columns(), in.notNull());
        } else if (operator instanceof KqlSyntax.Distinct d) {
            return distinct(in, d);
        } else if (operator instanceof KqlSyntax.Count c) {
            LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
            columns.put("Count", ColumnType.LONG);
            return new KqlPlan.Count(in, columns, Set.of("Count"));
        } else if (operator instanceof KqlSyntax.Join j) {
            return join(in, j);
        } else if (operator instanceof KqlSyntax.MakeSeries m) {
            return makeSeries(in, m);
        } else if (operator instanceof KqlSyntax.Parse p) {
            return parse(in, p);
        } else if (operator instanceof KqlSyntax.Render r) {
            String v = r.visualization().text();
            if (!VISUALIZATIONS.contains(v)) {
                throw error(
                        r.visualization(),
                        "unknown visualization '" + v + "'; supported: " + String.join(", ", VISUALIZATIONS));
            }
            return new KqlPlan.Render(in, v, in.columns(), in.notNull());
        } else if (operator instanceof KqlSyntax.Union u) {
            List<Step> sides = new ArrayList<>();
            sides.add(in);
            u.sides().forEach(s -> sides.add(source(s)));
            return union(sides, u.at());
        }
        throw new IllegalStateException(String.valueOf(operator));
    }

    private Step project(Step in, List<Item> items) {
        LinkedHashMap<String, Value> values = new LinkedHashMap<>();
        for (Item item : items) {
            Value e = value(in, item.expr(), false);
            String name = item.name() != null
                    ? item.name()
                    : e.column() != null ? e.column() : "Column" + (values.size() + 1);
            if (values.containsKey(name)) {
                throw error(item.at(), "the column '" + name + "' is projected twice");
            }
            values.put(name, e);
        }
        return select(in, values);
    }

    private Step extend(Step in, List<Item> items) {
        LinkedHashMap<String, Value> values = new LinkedHashMap<>();
        in.columns().forEach((name, type) -> values.put(name, new ColumnValue(name, type, null)));
        int unnamed = 0;
        for (Item item : items) {
            String name = item.name() != null ? item.name() : "Column" + (++unnamed);
            values.put(name, value(in, item.expr(), false));
        }
        return select(in, values);
    }

    private Step select(Step in, LinkedHashMap<String, Value> items) {
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        items.forEach((name, e) -> {
            requireValue(e);
            columns.put(name, e.type());
        });
        Set<String> notNull = new LinkedHashSet<>();
        items.forEach((name, e) -> {
            if (notNull(in, e)) {
                notNull.add(name);
            }
        });
        return new KqlPlan.Select(in, items, columns, notNull);
    }

    private Step summarize(Step in, KqlSyntax.Summarize s) {
        for (Item item : s.aggregates()) {
            if (item.expr() instanceof KqlSyntax.Call call
                    && (call.name().is("arg_max") || call.name().is("arg_min"))) {
                if (s.aggregates().size() > 1) {
                    throw error(call.name(), call.name().text() + "() is the only aggregation of its summarize here");
                }
                return argExtreme(in, s, item, call);
            }
        }
        LinkedHashMap<String, Value> aggregates = new LinkedHashMap<>();
        for (Item item : s.aggregates()) {
            Value e = value(in, item.expr(), true);
            if (!e.aggregate()) {
                throw error(
                        item.at(),
                        "summarize needs an aggregation here (count(), countif(), dcount(), sum(), min(), "
                                + "max(), avg())");
            }
            String name = item.name() != null ? item.name() : e.column();
            if (aggregates.containsKey(name)) {
                throw error(item.at(), "the column '" + name + "' is summarized twice; name one, as in n2 = count()");
            }
            aggregates.put(name, e);
        }
        LinkedHashMap<String, Value> keys = keys(in, s.keys(), aggregates.keySet());
        if (aggregates.isEmpty() && keys.isEmpty()) {
            throw error(s.end(), "summarize needs an aggregation or a by clause");
        }
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        Set<String> notNull = new LinkedHashSet<>();
        for (Map<String, Value> part : List.of(keys, aggregates)) {
            part.forEach((name, e) -> {
                columns.put(name, e.type());
                if (notNull(in, e)) {
                    notNull.add(name);
                }
            });
        }
        return new KqlPlan.Summarize(in, keys, aggregates, columns, notNull);
    }

    /** The by keys of a summarize, named (by their column, else Column1 …), none twice nor one of {@code taken}. */
    private LinkedHashMap<String, Value> keys(Step in, List<Item> items, Set<String> taken) {
        LinkedHashMap<String, Value> keys = new LinkedHashMap<>();
        for (Item item : items) {
            Value e = value(in, item.expr(), false);
            requireValue(e);
            String name =
                    item.name() != null ? item.name() : e.column() != null ? e.column() : "Column" + (keys.size() + 1);
            if (keys.containsKey(name) || taken.contains(name)) {
                throw error(item.at(), "the column '" + name + "' appears twice in summarize");
            }
            keys.put(name, e);
        }
        return keys;
    }

    private Step argExtreme(Step in, KqlSyntax.Summarize s, Item item, KqlSyntax.Call call) {
        Token name = call.name();
        if (call.args().size() < 2) {
            throw error(
                    name,
                    name.text() + "() takes the value to compare and the columns to keep: " + name.text()
                            + "(TimeGenerated, *)");
        }
        Value by = value(in, call.args().get(0), false);
        requireValue(by);
        String byName = item.name() != null ? item.name() : by.column() != null ? by.column() : name.text();
        List<String> take = new ArrayList<>();
        for (KqlSyntax.Expr arg : call.args().subList(1, call.args().size())) {
            if (!(arg instanceof KqlSyntax.ColumnRef c)) {
                throw error(name, name.text() + "() keeps columns, or * for all of them");
            }
            if (c.name().is("*")) {
                take.addAll(in.columns().keySet());
            } else {
                columnType(in, c.name().text(), c.name());
                take.add(c.name().text());
            }
        }
        LinkedHashMap<String, Value> keys = keys(in, s.keys(), Set.of());
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        Set<String> notNull = new LinkedHashSet<>();
        keys.forEach((keyName, e) -> {
            columns.put(keyName, e.type());
            if (notNull(in, e)) {
                notNull.add(keyName);
            }
        });
        columns.putIfAbsent(byName, by.type());
        notNull.add(byName);
        List<String> kept = new ArrayList<>();
        for (String c : take) {
            if (!columns.containsKey(c)) {
                columns.put(c, in.columns().get(c));
                kept.add(c);
                if (in.notNull().contains(c)) {
                    notNull.add(c);
                }
            }
        }
        return new KqlPlan.ArgExtreme(in, keys, by, byName, name.is("arg_max"), kept, columns, notNull);
    }

    private Step distinct(Step in, KqlSyntax.Distinct d) {
        if (d.columns().isEmpty()) {
            return new KqlPlan.Distinct(in, true, in.columns(), in.notNull());
        }
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        for (Token at : d.columns()) {
            columns.put(at.text(), columnType(in, at.text(), at));
        }
        return new KqlPlan.Distinct(in, false, columns, in.notNull());
    }

    /**
     * parse, kind=simple: the text must begin with the pattern's first literal (where it begins with
     * one); each column takes the text up to the next literal's first occurrence, a column or * at the
     * end the rest, and a literal at the end must end the text. One regular expression, anchored,
     * with a lazy group per column; where it does not match, every new column is missing.
     */
    private Step parse(Step in, KqlSyntax.Parse p) {
        Value text = value(in, p.text(), false);
        requireType(text, ColumnType.STRING, "parse reads a string");
        StringBuilder regex = new StringBuilder("^");
        List<String> names = new ArrayList<>();
        Token previous = null;
        for (int i = 0; i < p.parts().size(); i++) {
            Token part = p.parts().get(i);
            boolean last = i == p.parts().size() - 1;
            if (part.kind() == Token.Kind.STRING) {
                for (char c : ((String) part.value()).toCharArray()) {
                    // escaped as PostgreSQL's and Java's expressions both read it
                    regex.append("\\^$.|?*+()[]{}".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c));
                }
            } else {
                if (previous != null && previous.kind() != Token.Kind.STRING) {
                    throw error(part, "two columns or * in a row: put the text between them, as in Tool \"/\" Version");
                }
                if (part.is("*")) {
                    regex.append(last ? ".*" : ".*?");
                } else {
                    if (in.columns().containsKey(part.text()) || names.contains(part.text())) {
                        throw error(part, "the column '" + part.text() + "' exists already; parse into a new name");
                    }
                    names.add(part.text());
                    regex.append(last ? "(.*)" : "(.*?)");
                }
            }
            previous = part;
        }
        regex.append('$');
        LinkedHashMap<String, Value> values = new LinkedHashMap<>();
        in.columns().forEach((name, type) -> values.put(name, new ColumnValue(name, type, null)));
        for (int g = 0; g < names.size(); g++) {
            values.put(
                    names.get(g),
                    new Apply(
                            Function.EXTRACT,
                            "parse",
                            List.of(text),
                            List.of(regex.toString(), (long) (g + 1)),
                            ColumnType.STRING,
                            p.at(),
                            null,
                            false));
        }
        return select(in, values);
    }

    /** At most this many bins in a series. */
    static final int MAX_BINS = 10_000;

    /**
     * make-series as a summarize of each group per bin (bins counted from {@code from}, not from
     * the epoch), which the runner folds into one row per group with every bin filled.
     */
    private Step makeSeries(Step in, KqlSyntax.MakeSeries m) {
        Value axis = value(in, m.axis(), false);
        requireType(axis, ColumnType.DATETIME, "make-series needs a datetime after on");
        if (!(constant(value(in, m.from(), false)) instanceof Instant from)) {
            throw error(
                    m.at(),
                    "make-series needs from and to as datetimes the query fixes, such as from ago(1d) to now()");
        }
        if (!(constant(value(in, m.to(), false)) instanceof Instant to) || !to.isAfter(from)) {
            throw error(m.at(), "make-series needs to after from, as datetimes the query fixes");
        }
        Value stepValue = value(in, m.step(), false);
        if (!(constant(stepValue) instanceof Duration step)
                || step.isNegative()
                || step.isZero()
                || step.getNano() != 0) {
            throw error(stepValue.at(), "make-series needs a step of whole seconds, such as 1h or 5m");
        }
        long bins = (Duration.between(from, to).getSeconds() + step.getSeconds() - 1) / step.getSeconds();
        if (bins > MAX_BINS) {
            throw error(stepValue.at(), "make-series makes at most " + MAX_BINS + " bins; this would be " + bins);
        }
        // bins from 'from': shift by the offset of 'from' within a step, bin from the epoch, shift back
        long offsetMicros = Math.floorMod(
                from.getEpochSecond() * 1_000_000L + from.getNano() / 1000, step.getSeconds() * 1_000_000L);
        Value shifted = new Apply(
                Function.SHIFT_TIME,
                "-",
                List.of(axis),
                List.of(-offsetMicros),
                ColumnType.DATETIME,
                m.at(),
                null,
                false);
        Value binned = new Apply(
                Function.BIN_TIME,
                "bin",
                List.of(shifted),
                List.of(step.getSeconds()),
                ColumnType.DATETIME,
                m.at(),
                null,
                false);
        Value bin = new Apply(
                Function.SHIFT_TIME,
                "+",
                List.of(binned),
                List.of(offsetMicros),
                ColumnType.DATETIME,
                m.at(),
                null,
                false);
        Value window = new Apply(
                Function.AND,
                "and",
                List.of(
                        new Apply(
                                Function.COMPARE,
                                ">=",
                                List.of(axis, new Constant(from, ColumnType.DATETIME, m.at())),
                                List.of(),
                                ColumnType.BOOL,
                                m.at(),
                                null,
                                false),
                        new Apply(
                                Function.COMPARE,
                                "<",
                                List.of(axis, new Constant(to, ColumnType.DATETIME, m.at())),
                                List.of(),
                                ColumnType.BOOL,
                                m.at(),
                                null,
                                false)),
                List.of(),
                ColumnType.BOOL,
                m.at(),
                null,
                false);
        Step within = new KqlPlan.Where(in, window, in.columns(), in.notNull());
        for (Item item : m.aggregates()) {
            if (item.expr() instanceof KqlSyntax.Call call
                    && (call.name().is("arg_max") || call.name().is("arg_min"))) {
                throw error(call.name(), call.name().text() + "() is not an aggregation of make-series");
            }
        }
        List<Item> keyItems = new ArrayList<>(m.keys());
        KqlPlan.Summarize grouped =
                (KqlPlan.Summarize) summarize(within, new KqlSyntax.Summarize(m.aggregates(), keyItems, m.at()));
        LinkedHashMap<String, Value> keys = new LinkedHashMap<>(grouped.keys());
        String axisName = axis.column() != null ? axis.column() : "TimeGenerated";
        if (keys.containsKey(axisName) || grouped.aggregates().containsKey(axisName)) {
            throw error(m.at(), "make-series names its axis " + axisName + "; no key or aggregate may have that name");
        }
        keys.put(axisName, bin);
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        keys.forEach((n, v) -> columns.put(n, v.type()));
        grouped.aggregates().forEach((n, v) -> columns.put(n, v.type()));
        KqlPlan.Summarize perBin = new KqlPlan.Summarize(within, keys, grouped.aggregates(), columns, Set.of());
        List<Object> defaults = new ArrayList<>();
        int i = 0;
        for (Value aggregate : grouped.aggregates().values()) {
            KqlSyntax.Expr d = m.defaults().get(i++);
            if (d == null) {
                defaults.add(
                        aggregate.type() == ColumnType.LONG
                                ? (Object) 0L
                                : aggregate.type() == ColumnType.REAL ? 0.0 : null);
            } else {
                Value dv = value(in, d, false);
                if (!(dv instanceof Constant c) || !comparable(aggregate.type(), c.type())) {
                    throw error(
                            dv.at(),
                            "a default is a literal of its aggregate's type ("
                                    + aggregate.type().kusto() + ")");
                }
                defaults.add(c.value());
            }
        }
        KqlPlan.Series series = new KqlPlan.Series(
                List.copyOf(grouped.keys().keySet()),
                List.copyOf(grouped.aggregates().keySet()),
                defaults,
                axisName,
                from,
                step,
                (int) bins);
        return new KqlPlan.MakeSeries(perBin, series, columns, Set.of());
    }

    static final List<String> JOIN_KINDS = List.of("inner", "leftouter", "leftsemi", "leftanti");

    /** Kusto's render visualizations. */
    static final List<String> VISUALIZATIONS = List.of(
            "anomalychart",
            "areachart",
            "barchart",
            "card",
            "columnchart",
            "ladderchart",
            "linechart",
            "piechart",
            "pivotchart",
            "scatterchart",
            "stackedareachart",
            "table",
            "timechart",
            "timepivot",
            "treemap");

    /** Each side read as it may be (its tables inside the caller's rules): a join never widens them. */
    private Step join(Step left, KqlSyntax.Join j) {
        if (j.kind() == null) {
            throw error(
                    j.at(),
                    "join needs its kind: join kind=inner, leftouter, leftsemi or leftanti (Kusto's default, "
                            + "innerunique, keeps an arbitrary row of each left key and is not supported)");
        }
        String kind = j.kind().text();
        if (!JOIN_KINDS.contains(kind)) {
            throw error(
                    j.kind(), "join kind=" + kind + " is not supported; supported: " + String.join(", ", JOIN_KINDS));
        }
        Step right = source(j.right());
        List<KqlPlan.JoinKey> keys = new ArrayList<>();
        for (KqlSyntax.JoinKey key : j.keys()) {
            ColumnType l = columnType(left, key.left().text(), key.left());
            ColumnType r = columnType(right, key.right().text(), key.right());
            if (l != r && !(l.numeric() && r.numeric())) {
                throw error(
                        key.left(),
                        "join keys compare values of one type; " + key.left().text() + " is " + l.kusto() + ", "
                                + key.right().text() + " " + r.kusto());
            }
            keys.add(new KqlPlan.JoinKey(
                    key.left().text(),
                    key.right().text(),
                    l == ColumnType.STRING
                            && !(left.notNull().contains(key.left().text())
                                    && right.notNull().contains(key.right().text()))));
        }
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>(left.columns());
        Set<String> notNull = new LinkedHashSet<>(left.notNull());
        LinkedHashMap<String, String> rightNames = new LinkedHashMap<>();
        if (kind.equals("inner") || kind.equals("leftouter")) {
            right.columns().forEach((name, type) -> {
                String out = name;
                for (int n = 1; columns.containsKey(out); n++) {
                    out = name + n;
                }
                columns.put(out, type);
                rightNames.put(name, out);
                if (kind.equals("inner") && right.notNull().contains(name)) {
                    notNull.add(out);
                }
            });
        }
        return new KqlPlan.Join(left, right, kind, keys, rightNames, columns, notNull);
    }

    private Step union(List<Step> sides, Token at) {
        LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();
        for (Step side : sides) {
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
        return new KqlPlan.Union(sides, columns, notNull);
    }

    private Key key(Step in, KqlSyntax.OrderBy orderBy) {
        Value e = value(in, orderBy.expr(), false);
        requireValue(e);
        Boolean nullsFirst = notNull(in, e) ? null : !orderBy.desc();
        if (orderBy.nulls() != null) {
            nullsFirst = orderBy.nulls().is("first");
        }
        return new Key(e, orderBy.desc(), nullsFirst);
    }

    /** Column references and bins of columns never null, constants, and counts are never null. */
    private static boolean notNull(Step in, Value e) {
        if (e.aggregate()) {
            return e instanceof Apply a
                    && (a.function() == Function.COUNT
                            || a.function() == Function.DCOUNT
                            || a.function() == Function.COUNTIF);
        }
        return e instanceof Constant || e.column() != null && in.notNull().contains(e.column());
    }

    // ---- scalar expressions ----

    private Value value(Step in, KqlSyntax.Expr expr, boolean aggregates) {
        if (expr instanceof KqlSyntax.Literal l) {
            return literal(l.token());
        } else if (expr instanceof KqlSyntax.ColumnRef c) {
            return new ColumnValue(c.name().text(), columnType(in, c.name().text(), c.name()), c.name());
        } else if (expr instanceof KqlSyntax.Negate n) {
            return negate(n.minus(), value(in, n.operand(), aggregates));
        } else if (expr instanceof KqlSyntax.Binary b) {
            return binary(in, b, aggregates);
        } else if (expr instanceof KqlSyntax.In i) {
            return in(in, i, aggregates);
        } else if (expr instanceof KqlSyntax.Call c) {
            return call(in, c, aggregates);
        }
        throw new IllegalStateException(String.valueOf(expr));
    }

    private static Value literal(Token t) {
        return switch (t.kind()) {
            case NUMBER -> new Constant(t.value(), t.value() instanceof Long ? ColumnType.LONG : ColumnType.REAL, t);
            case STRING -> new Constant(t.value(), ColumnType.STRING, t);
            case TIMESPAN -> new Constant(t.value(), ColumnType.TIMESPAN, t);
            default -> new Constant(Boolean.valueOf(t.text()), ColumnType.BOOL, t);
        };
    }

    private static Value negate(Token minus, Value e) {
        Object constant = constant(e);
        if (constant instanceof Long n) {
            return new Constant(-n, ColumnType.LONG, minus);
        }
        if (constant instanceof Double n) {
            return new Constant(-n, ColumnType.REAL, minus);
        }
        if (constant instanceof Duration d) {
            return new Constant(d.negated(), ColumnType.TIMESPAN, minus);
        }
        if (!e.type().numeric()) {
            throw error(
                    minus,
                    "'-' negates numbers; " + describe(e) + " is " + e.type().kusto());
        }
        return new Apply(Function.NEGATE, "-", List.of(e), List.of(), e.type(), minus, null, e.aggregate());
    }

    private Value binary(Step in, KqlSyntax.Binary b, boolean aggregates) {
        Value left = value(in, b.left(), aggregates);
        Value right = value(in, b.right(), aggregates);
        Token op = b.op();
        String o = op.text();
        boolean aggregate = left.aggregate() || right.aggregate();
        if (op.kind() == Kind.IDENTIFIER && (o.equals("and") || o.equals("or"))) {
            requireType(left, ColumnType.BOOL, o + " joins conditions");
            requireType(right, ColumnType.BOOL, o + " joins conditions");
            Function f = o.equals("and") ? Function.AND : Function.OR;
            return new Apply(f, o, List.of(left, right), List.of(), ColumnType.BOOL, op, null, aggregate);
        }
        if (KqlParser.COMPARISONS.contains(o)) {
            return compare(left, op, right, aggregate);
        }
        if (KqlParser.STRING_OPERATORS.contains(o)) {
            return stringTest(left, op, right);
        }
        return arithmetic(left, op, right, aggregate);
    }

    private static Value compare(Value left, Token op, Value right, boolean aggregate) {
        requireValue(left);
        requireValue(right);
        String o = op.text();
        if (o.equals("=~") || o.equals("!~")) {
            requireType(left, ColumnType.STRING, o + " compares strings");
            requireType(right, ColumnType.STRING, o + " compares strings");
            return new Apply(
                    Function.CASELESS_EQUALITY,
                    o,
                    List.of(left, right),
                    List.of(),
                    ColumnType.BOOL,
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
        boolean equality = o.equals("==") || o.equals("!=");
        if (left.type() == ColumnType.STRING && equality) {
            return new Apply(
                    Function.STRING_EQUALITY, o, List.of(left, right), List.of(), ColumnType.BOOL, op, null, aggregate);
        }
        if (left.type() == ColumnType.BOOL && !equality) {
            throw error(op, "bool values can only be compared with == and !=");
        }
        return new Apply(Function.COMPARE, o, List.of(left, right), List.of(), ColumnType.BOOL, op, null, aggregate);
    }

    private static Value stringTest(Value left, Token op, Value right) {
        requireType(left, ColumnType.STRING, op.text() + " tests strings");
        if (!(right instanceof Constant c) || right.type() != ColumnType.STRING) {
            throw error(
                    right.at(), op.text() + " needs a string literal on its right, as in " + op.text() + " \"text\"");
        }
        String value = ((String) c.value()).toLowerCase(Locale.ROOT);
        return new Apply(
                Function.STRING_TEST,
                op.text(),
                List.of(left),
                List.of(value),
                ColumnType.BOOL,
                op,
                null,
                left.aggregate());
    }

    private Value in(Step in, KqlSyntax.In i, boolean aggregates) {
        Value left = value(in, i.left(), aggregates);
        requireValue(left);
        Token op = i.op();
        List<Object> values = new ArrayList<>();
        for (KqlSyntax.Expr expr : i.items()) {
            Value item = value(in, expr, aggregates);
            if (!(item instanceof Constant c)) {
                throw error(item.at(), op.text() + " takes a list of literals");
            }
            if (!comparable(left.type(), item.type())) {
                throw error(
                        item.at(),
                        "cannot compare " + describe(left) + " (" + left.type().kusto() + ") with " + describe(item)
                                + " (" + item.type().kusto() + ")");
            }
            values.add(c.value());
        }
        return new Apply(Function.IN, op.text(), List.of(left), values, ColumnType.BOOL, op, null, left.aggregate());
    }

    private static Value arithmetic(Value left, Token op, Value right, boolean aggregate) {
        String o = op.text();
        if (left instanceof Constant a && right instanceof Constant b) {
            Object folded = fold(a.value(), o, b.value());
            if (folded != null) {
                return new Constant(folded, typeOf(folded), left.at());
            }
        }
        Value shifted = shift(left, o, right, aggregate, op);
        if (shifted != null) {
            return shifted;
        }
        if (!left.type().numeric() || !right.type().numeric()) {
            throw error(
                    op,
                    "'" + o + "' works on numbers, on a datetime and a constant timespan (TimeGenerated + 1h), and on "
                            + "constant datetimes and timespans (now() - 1h); "
                            + describe(left) + " is " + left.type().kusto() + ", " + describe(right) + " is "
                            + right.type().kusto());
        }
        ColumnType type =
                left.type() == ColumnType.REAL || right.type() == ColumnType.REAL ? ColumnType.REAL : ColumnType.LONG;
        return new Apply(Function.ARITHMETIC, o, List.of(left, right), List.of(), type, op, null, aggregate);
    }

    /** A datetime value moved by a constant timespan ({@code FailedAt + 1h}, {@code 1h + T}, {@code T - 30m}); else null. */
    private static Value shift(Value left, String o, Value right, boolean aggregate, Token op) {
        Value time = null;
        Duration by = null;
        if (left.type() == ColumnType.DATETIME
                && right instanceof Constant c
                && c.value() instanceof Duration d
                && (o.equals("+") || o.equals("-"))) {
            time = left;
            by = o.equals("+") ? d : d.negated();
        } else if (right.type() == ColumnType.DATETIME
                && left instanceof Constant c
                && c.value() instanceof Duration d
                && o.equals("+")) {
            time = right;
            by = d;
        }
        if (time == null) {
            return null;
        }
        long micros;
        try {
            micros = Math.multiplyExact(by.getSeconds(), 1_000_000L) + by.getNano() / 1000;
        } catch (ArithmeticException e) {
            throw error(op, "the timespan is too long to move a datetime by");
        }
        return new Apply(
                Function.SHIFT_TIME, o, List.of(time), List.of(micros), ColumnType.DATETIME, op, null, aggregate);
    }

    private static Object fold(Object a, String op, Object b) {
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

    private Value call(Step in, KqlSyntax.Call call, boolean aggregates) {
        Token name = call.name();
        String f = name.text();
        if (f.equals("arg_max") || f.equals("arg_min")) { // summarize takes them before any call is read
            throw error(name, f + "() belongs in summarize, as its only aggregation");
        }
        boolean aggregate = AGGREGATIONS.contains(f);
        if (aggregate && !aggregates) {
            throw error(name, f + "() is an aggregation; it belongs in summarize");
        }
        List<Value> args = new ArrayList<>();
        call.args().forEach(a -> args.add(value(in, a, false)));
        if (aggregate) {
            return aggregation(name, args);
        }
        return switch (f) {
            case "ago" -> new Constant(now.minus(timespanArgument(name, args)), ColumnType.DATETIME, name);
            case "now" ->
                new Constant(args.isEmpty() ? now : now.plus(timespanArgument(name, args)), ColumnType.DATETIME, name);
            case "datetime" -> {
                arity(name, args, 1);
                if (!(constant(args.get(0)) instanceof String text)) {
                    throw error(name, "datetime() takes a date and time, such as datetime(2026-11-21T10:00:00Z)");
                }
                yield new Constant(datetime(text, args.get(0).at()), ColumnType.DATETIME, name);
            }
            case "bin", "floor" -> bin(name, args);
            case "isempty", "isnotempty", "isnull", "isnotnull" -> {
                arity(name, args, 1);
                Value x = args.get(0);
                requireValue(x);
                boolean emptyString = x.type() == ColumnType.STRING && f.endsWith("empty");
                yield new Apply(
                        emptyString ? Function.IS_EMPTY : Function.IS_NULL,
                        f,
                        List.of(x),
                        List.of(),
                        ColumnType.BOOL,
                        name,
                        null,
                        false);
            }
            case "not" -> {
                arity(name, args, 1);
                requireType(args.get(0), ColumnType.BOOL, "not() negates a condition");
                yield new Apply(Function.NOT, f, args, List.of(), ColumnType.BOOL, name, null, false);
            }
            case "tolower", "toupper" -> {
                arity(name, args, 1);
                requireType(args.get(0), ColumnType.STRING, f + "() takes a string");
                Function function = f.equals("tolower") ? Function.LOWER : Function.UPPER;
                yield new Apply(function, f, args, List.of(), ColumnType.STRING, name, null, false);
            }
            case "strlen" -> {
                arity(name, args, 1);
                requireType(args.get(0), ColumnType.STRING, "strlen() takes a string");
                yield new Apply(Function.STRLEN, f, args, List.of(), ColumnType.LONG, name, null, false);
            }
            case "iff", "iif", "case" -> choice(name, args);
            case "tostring", "tolong", "toint", "todouble", "toreal" -> conversion(name, args);
            case "todatetime" -> {
                arity(name, args, 1);
                Value x = args.get(0);
                if (x.type() == ColumnType.DATETIME) {
                    yield x;
                }
                requireType(x, ColumnType.STRING, "todatetime() reads a string");
                yield new Apply(
                        Function.TO_DATETIME, "todatetime", args, List.of(), ColumnType.DATETIME, name, null, false);
            }
            case "extract" -> extract(name, args);
            case "format_datetime" -> formatDatetime(name, args);
            default ->
                throw error(
                        name,
                        "unknown function " + f + "(); supported: ago, now, datetime, bin, isempty, "
                                + "isnotempty, isnull, isnotnull, not, tolower, toupper, strlen, iff, case, extract, format_datetime, todatetime, "
                                + "tostring, "
                                + "tolong, toint, "
                                + "todouble, toreal, and in summarize count, countif, "
                                + "dcount, sum, min, max, avg, percentile");
        };
    }

    /**
     * iff(condition, then, else) and case(condition, value, …, else): the value of the first
     * condition that holds (a missing one does not), else the last. The values have one type; whole
     * and real numbers together are real.
     */
    private static Value choice(Token name, List<Value> args) {
        String f = name.text();
        if (f.equals("case") ? args.size() < 3 || args.size() % 2 == 0 : args.size() != 3) {
            throw error(
                    name,
                    f.equals("case")
                            ? "case() takes pairs of a condition and a value, then the value when none holds: "
                                    + "case(Size > 1000, \"big\", \"small\")"
                            : f + "() takes a condition, the value when it holds and the value when not: " + f
                                    + "(Size > 1000, \"big\", \"small\")");
        }
        ColumnType type = null;
        for (int i = 0; i < args.size(); i++) {
            Value v = args.get(i);
            requireValue(v);
            if (i % 2 == 0 && i < args.size() - 1) {
                requireType(v, ColumnType.BOOL, f + "()'s conditions are conditions");
                continue;
            }
            if (type == null || type == v.type()) {
                type = v.type();
            } else if (type.numeric() && v.type().numeric()) {
                type = ColumnType.REAL;
            } else {
                throw error(
                        v.at(),
                        f + "()'s values have one type; " + describe(v) + " is "
                                + v.type().kusto() + ", the first " + type.kusto());
            }
        }
        return new Apply(Function.CHOICE, f, args, List.of(), type, name, null, false);
    }

    /**
     * tostring() of a string, a whole number or a bool; tolong()/toint() and todouble()/toreal() of
     * a number, a bool or a string, where a string that is no such number gives a missing value, as
     * in Kusto (never a database error). A real becomes a whole number by cutting off its fraction.
     */
    private static Value conversion(Token name, List<Value> args) {
        arity(name, args, 1);
        Value x = args.get(0);
        requireValue(x);
        String f = name.text();
        ColumnType to = f.equals("tostring")
                ? ColumnType.STRING
                : f.equals("tolong") || f.equals("toint") ? ColumnType.LONG : ColumnType.REAL;
        boolean takes = switch (to) {
            case STRING -> x.type() == ColumnType.STRING || x.type() == ColumnType.LONG || x.type() == ColumnType.BOOL;
            default -> x.type() == ColumnType.STRING || x.type().numeric() || x.type() == ColumnType.BOOL;
        };
        if (!takes) {
            throw error(
                    x.at(),
                    f + "() takes "
                            + (to == ColumnType.STRING
                                    ? "a string, a whole number or a bool"
                                    : "a number, a bool " + "or a string")
                            + "; " + describe(x) + " is " + x.type().kusto());
        }
        return new Apply(Function.CONVERT, f, args, List.of(), to, name, null, false);
    }

    /**
     * extract(regex, group, text): the group of the first match of the regular expression (0: the
     * whole match), or a missing value where it does not match. The expression is a string literal
     * in the syntax the databases and Java share (no look-around, no back references).
     */
    private static Value extract(Token name, List<Value> args) {
        arity(name, args, 3);
        if (!(constant(args.get(0)) instanceof String regex)) {
            throw error(args.get(0).at(), "extract()'s first argument is the regular expression, a string literal");
        }
        int groups;
        try {
            groups = java.util.regex.Pattern.compile(regex).matcher("").groupCount();
        } catch (java.util.regex.PatternSyntaxException e) {
            throw error(args.get(0).at(), "not a regular expression: " + e.getDescription());
        }
        if (regex.contains("(?") || regex.matches(".*\\\\[1-9].*")) {
            throw error(args.get(0).at(), "extract() takes no look-around, flags or back references");
        }
        if (!(constant(args.get(1)) instanceof Long group) || group < 0 || group > groups) {
            throw error(
                    args.get(1).at(),
                    "extract()'s second argument is the group to take, a whole number from 0 (the whole match) to "
                            + groups);
        }
        requireType(args.get(2), ColumnType.STRING, "extract() searches a string");
        return new Apply(
                Function.EXTRACT,
                "extract",
                List.of(args.get(2)),
                List.of(regex, group),
                ColumnType.STRING,
                name,
                null,
                false);
    }

    /** Kusto's format specifiers that both databases write, with the lengths each may have. */
    private static final Map<Character, List<Integer>> DATETIME_PARTS = Map.of(
            'd', List.of(1, 2),
            'f', List.of(1, 2, 3, 4, 5, 6),
            'h', List.of(1, 2),
            'H', List.of(1, 2),
            'm', List.of(1, 2),
            'M', List.of(1, 2),
            's', List.of(1, 2),
            'y', List.of(2, 4),
            't', List.of(2));

    private static final String DATETIME_DELIMITERS = " /-:,._[]";

    /**
     * format_datetime(datetime, format), in UTC, with Kusto's specifiers (yyyy, yy, MM, M, dd, d,
     * HH, H, hh, h, mm, m, ss, s, f to ffffff, tt) and delimiters (space / - : , . _ [ ]); the format
     * is read here into its parts, which each database's writer spells its own way.
     */
    private static Value formatDatetime(Token name, List<Value> args) {
        arity(name, args, 2);
        requireType(args.get(0), ColumnType.DATETIME, "format_datetime() formats a datetime");
        if (!(constant(args.get(1)) instanceof String format) || format.isEmpty()) {
            throw error(args.get(1).at(), "format_datetime()'s format is a string literal, such as 'yyyy-MM-dd HH:mm'");
        }
        List<Object> parts = new ArrayList<>();
        for (int i = 0; i < format.length(); ) {
            char c = format.charAt(i);
            int j = i;
            while (j < format.length() && format.charAt(j) == c) {
                j++;
            }
            if (DATETIME_DELIMITERS.indexOf(c) >= 0) {
                parts.add(format.substring(i, j));
            } else if (DATETIME_PARTS.containsKey(c) && DATETIME_PARTS.get(c).contains(j - i)) {
                parts.add(format.substring(i, j));
            } else {
                throw error(
                        args.get(1).at(),
                        "format_datetime() cannot write '" + format.substring(i, j)
                                + "'; it writes yyyy, yy, MM, M, dd, d, "
                                + "HH, H, hh, h, mm, m, ss, s, f to ffffff, tt, and the delimiters space / - : , . _ [ ]");
            }
            i = j;
        }
        return new Apply(
                Function.FORMAT_DATETIME,
                "format_datetime",
                List.of(args.get(0)),
                parts,
                ColumnType.STRING,
                name,
                null,
                false);
    }

    private static Value aggregation(Token name, List<Value> args) {
        String f = name.text();
        if (f.equals("count")) {
            arity(name, args, 0);
            return new Apply(Function.COUNT, f, args, List.of(), ColumnType.LONG, name, "count_", true);
        }
        if (f.equals("percentile")) {
            return percentile(name, args);
        }
        arity(name, args, 1);
        Value x = args.get(0);
        requireValue(x);
        String label = f + "_" + (x.column() != null ? x.column() : "");
        return switch (f) {
            case "countif" -> {
                requireType(x, ColumnType.BOOL, "countif() counts the rows where a condition holds");
                yield new Apply(Function.COUNTIF, f, args, List.of(), ColumnType.LONG, name, "countif_", true);
            }
            case "dcount" -> new Apply(Function.DCOUNT, f, args, List.of(), ColumnType.LONG, name, label, true);
            case "sum" -> {
                requireNumber(x, "sum()");
                yield new Apply(Function.SUM, f, args, List.of(), x.type(), name, label, true);
            }
            case "avg" -> {
                requireNumber(x, "avg()");
                yield new Apply(Function.AVG, f, args, List.of(), ColumnType.REAL, name, label, true);
            }
            default ->
                new Apply(
                        f.equals("min") ? Function.MIN : Function.MAX, f, args, List.of(), x.type(), name, label, true);
        };
    }

    /**
     * percentile(x, p): the nearest-rank percentile, a value of x itself (the smallest with at
     * least p % of the values at or below it), as Kusto's; p a number from 0 to 100.
     */
    private static Value percentile(Token name, List<Value> args) {
        arity(name, args, 2);
        Value x = args.get(0);
        requireValue(x);
        if (!x.type().numeric() && x.type() != ColumnType.DATETIME) {
            throw error(
                    x.at(),
                    "percentile() takes numbers or datetimes; " + describe(x) + " is "
                            + x.type().kusto());
        }
        if (!(args.get(1) instanceof Constant c)
                || !(c.value() instanceof Number p)
                || p.doubleValue() < 0
                || p.doubleValue() > 100) {
            throw error(args.get(1).at(), "percentile()'s second argument is a number from 0 to 100, such as 95");
        }
        double percent = ((Number) ((Constant) args.get(1)).value()).doubleValue();
        String label = "percentile_" + (x.column() != null ? x.column() : "") + "_"
                + (percent == Math.rint(percent)
                        ? String.valueOf((long) percent)
                        : String.valueOf(percent).replace('.', '_'));
        return new Apply(
                Function.PERCENTILE, "percentile", List.of(x), List.of(percent / 100), x.type(), name, label, true);
    }

    private static Value bin(Token name, List<Value> args) {
        arity(name, args, 2);
        Value x = args.get(0);
        Value size = args.get(1);
        if (x.type() == ColumnType.DATETIME) {
            if (!(constant(size) instanceof Duration d) || d.isNegative() || d.isZero() || d.getNano() != 0) {
                throw error(size.at(), "bin() of a datetime needs a timespan of whole seconds, such as 1h or 5m");
            }
            return new Apply(
                    Function.BIN_TIME,
                    name.text(),
                    List.of(x),
                    List.of(d.getSeconds()),
                    ColumnType.DATETIME,
                    name,
                    x.column(),
                    false);
        }
        if (x.type() == ColumnType.LONG && constant(size) instanceof Long n && n > 0) {
            return new Apply(
                    Function.BIN_LONG, name.text(), List.of(x), List.of(n), ColumnType.LONG, name, x.column(), false);
        }
        throw error(
                name,
                "bin() takes a datetime and a timespan (bin(TimeGenerated, 1h)) or a long and a positive "
                        + "whole number (bin(Size, 1000))");
    }

    private static Duration timespanArgument(Token name, List<Value> args) {
        arity(name, args, 1);
        if (!(constant(args.get(0)) instanceof Duration d)) {
            throw error(args.get(0).at(), name.text() + "() takes a timespan, such as 1d, 2h or 30m");
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

    private static Object constant(Value v) {
        return v instanceof Constant c ? c.value() : null;
    }

    private static boolean comparable(ColumnType a, ColumnType b) {
        return a == b || (a.numeric() && b.numeric());
    }

    private static void arity(Token name, List<Value> args, int n) {
        if (args.size() != n) {
            throw error(
                    name, name.text() + "() takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + args.size());
        }
    }

    private static void requireType(Value e, ColumnType type, String why) {
        if (e.type() != type) {
            throw error(e.at(), why + "; " + describe(e) + " is " + e.type().kusto() + ", not " + type.kusto());
        }
    }

    private static void requireNumber(Value e, String what) {
        if (!e.type().numeric()) {
            throw error(
                    e.at(),
                    what + " needs a number; " + describe(e) + " is " + e.type().kusto());
        }
    }

    /** A timespan exists only at translation time (ago, bin, datetime arithmetic); it is not a column value. */
    private static void requireValue(Value e) {
        if (e.type() == ColumnType.TIMESPAN) {
            throw error(
                    e.at(),
                    "a timespan can be used with ago(), now(), bin() and datetime arithmetic, "
                            + "not as a value of its own");
        }
    }

    private static String describe(Value e) {
        if (e.column() != null && !e.aggregate()) {
            return e.column();
        }
        return e.at() != null && e.at().kind() != Kind.END ? e.at().text() : "the expression";
    }

    private static ColumnType columnType(Step in, String name, Token at) {
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

    private static ColumnType typeOf(Object constant) {
        if (constant instanceof Instant) {
            return ColumnType.DATETIME;
        }
        if (constant instanceof Duration) {
            return ColumnType.TIMESPAN;
        }
        return constant instanceof Double ? ColumnType.REAL : ColumnType.LONG;
    }

    /** The name a typo most likely meant: the same ignoring case, or at most 2 edits away. */
    static Optional<String> closest(String typed, Collection<String> names) {
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
        return Optional.ofNullable(best);
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
}
