package org.registryaudit.query.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import org.registryaudit.platform.entity.ColumnType;

/**
 * The checked query, as {@link KqlChecker} makes it from the syntax tree and {@link SqlWriter}
 * writes it: every table resolved (with the caller's rules still to apply), every column known
 * with its type, every constant folded. Each step knows its output columns and those never null.
 */
final class KqlPlan {

    private KqlPlan() {}

    sealed interface Step {
        LinkedHashMap<String, ColumnType> columns();

        Set<String> notNull();
    }

    record Table(QueryTables.Table table, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    record Where(Step in, Value condition, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    /** project and extend: named values over the step before. */
    record Select(
            Step in, LinkedHashMap<String, Value> items, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    record Summarize(
            Step in,
            LinkedHashMap<String, Value> keys,
            LinkedHashMap<String, Value> aggregates,
            LinkedHashMap<String, ColumnType> columns,
            Set<String> notNull)
            implements Step {}

    record Top(Step in, long rows, Key key, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    record Take(Step in, long rows, LinkedHashMap<String, ColumnType> columns, Set<String> notNull) implements Step {}

    record Sort(Step in, List<Key> keys, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    /** {@code all}: distinct *, else the distinct values of {@code columns}. */
    record Distinct(Step in, boolean all, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    record Count(Step in, LinkedHashMap<String, ColumnType> columns, Set<String> notNull) implements Step {}

    /**
     * summarize arg_max(by, columns…) by keys (or arg_min): per group of the keys, the row where
     * {@code by} is largest (smallest), with its value as {@code byName} and the columns of
     * {@code take}; a row where it is missing never wins.
     */
    record ArgExtreme(
            Step in,
            LinkedHashMap<String, Value> keys,
            Value by,
            String byName,
            boolean max,
            List<String> take,
            LinkedHashMap<String, ColumnType> columns,
            Set<String> notNull)
            implements Step {}

    /**
     * make-series: {@code in} is the summarize of each group's values per bin (the keys, then the
     * bin, then the aggregates), and {@code series} how those rows become one row per group, each
     * aggregate an array over every bin from {@code from} (empty bins with their default).
     */
    record MakeSeries(Step in, Series series, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    /**
     * The shape of a make-series result: {@code keys} columns, then an array per aggregate (named,
     * with its default), then {@code axis}, the array of the bins' starts.
     */
    record Series(
            List<String> keys,
            List<String> aggregates,
            List<Object> defaults,
            String axis,
            java.time.Instant from,
            java.time.Duration step,
            int bins) {}

    /** The rows of the step before, to be drawn as {@code visualization} (passed through to the answer, as Azure does). */
    record Render(Step in, String visualization, LinkedHashMap<String, ColumnType> columns, Set<String> notNull)
            implements Step {}

    /** Kusto's outer union: every column of every side, NULL where a side lacks it. */
    record Union(List<Step> sides, LinkedHashMap<String, ColumnType> columns, Set<String> notNull) implements Step {}

    /**
     * A join: inner and leftouter have the left's columns and then the right's, those of a name the
     * left has renamed as {@code rightNames} says (Identity → Identity1, as Kusto does); leftsemi
     * and leftanti have the left's only.
     */
    record Join(
            Step left,
            Step right,
            String kind,
            List<JoinKey> keys,
            LinkedHashMap<String, String> rightNames,
            LinkedHashMap<String, ColumnType> columns,
            Set<String> notNull)
            implements Step {}

    /** Columns equal on both sides; {@code missingIsEmpty}: strings that may be missing, where Kusto's "" matches "". */
    record JoinKey(String left, String right, boolean missingIsEmpty) {}

    /** nullsFirst is null where the key is never null: a NULLS clause would keep the database off its index. */
    record Key(Value value, boolean desc, Boolean nullsFirst) {}

    /**
     * A checked expression: its type, where it was written ({@code at}), and {@code column}, the
     * name it gives a result column by default (a column's own name, a bin's column, an
     * aggregation's label such as {@code sum_Size}).
     */
    sealed interface Value {
        ColumnType type();

        Token at();

        String column();

        boolean aggregate();
    }

    /** A value the query fixes: a literal, ago(), now(), datetime(), folded arithmetic. */
    record Constant(Object value, ColumnType type, Token at) implements Value {
        public String column() {
            return null;
        }

        public boolean aggregate() {
            return false;
        }
    }

    record ColumnValue(String name, ColumnType type, Token at) implements Value {
        public String column() {
            return name;
        }

        public boolean aggregate() {
            return false;
        }
    }

    /** What an {@link Apply} computes; its SQL is the writer's. */
    enum Function {
        AND,
        OR,
        COMPARE,
        STRING_EQUALITY,
        CASELESS_EQUALITY,
        STRING_TEST,
        IN,
        ARITHMETIC,
        NEGATE,
        IS_EMPTY,
        IS_NULL,
        NOT,
        LOWER,
        UPPER,
        STRLEN,
        CHOICE,
        SHIFT_TIME,
        CONVERT,
        EXTRACT,
        FORMAT_DATETIME,
        TO_DATETIME,
        BIN_TIME,
        BIN_LONG,
        COUNT,
        COUNTIF,
        DCOUNT,
        SUM,
        AVG,
        MIN,
        MAX,
        PERCENTILE
    }

    /**
     * A function of other values. {@code op} is the operator's text where the function has several
     * ({@code <}, {@code !contains}, {@code !in}, {@code isnotempty}); {@code extra} holds what
     * only the writer needs: the literal values of an in list, the bin size.
     */
    record Apply(
            Function function,
            String op,
            List<Value> args,
            List<Object> extra,
            ColumnType type,
            Token at,
            String column,
            boolean aggregate)
            implements Value {}
}
