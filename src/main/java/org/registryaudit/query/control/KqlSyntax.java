package org.registryaudit.query.control;

import java.util.List;

/**
 * The syntax tree of a query, as {@link KqlParser} reads it: what was written, with the token of
 * each part for the errors of the later stages, and nothing resolved yet (a column is a name, a
 * table is a name, a literal is its token).
 */
final class KqlSyntax {

    private KqlSyntax() {}

    /** A source and the operators after its {@code |}s. */
    record Query(Source source, List<Operator> operators) {}

    sealed interface Source {}

    /** A table named by {@code name}, one of those QueryTables knows. */
    record TableRef(Token name) implements Source {}

    record Nested(Query query) implements Source {}

    /** {@code union a, (b | …)} at the start of a query. */
    record UnionSource(Token at, List<Source> sides) implements Source {}

    sealed interface Operator {}

    record Where(Expr condition) implements Operator {}

    record Project(List<Item> items) implements Operator {}

    record Extend(List<Item> items) implements Operator {}

    /** {@code end}: the token after the operator, where an empty summarize is reported. */
    record Summarize(List<Item> aggregates, List<Item> keys, Token end) implements Operator {}

    record Top(long rows, OrderBy key) implements Operator {}

    record Take(long rows) implements Operator {}

    record Sort(List<OrderBy> keys) implements Operator {}

    /** {@code columns} empty for {@code distinct *}. */
    record Distinct(List<Token> columns) implements Operator {}

    record Count() implements Operator {}

    record Union(Token at, List<Source> sides) implements Operator {}

    /**
     * {@code parse text with "literal" Column "literal" … *}: {@code parts} are the pattern's string
     * literals, column names and {@code *}s, in order.
     */
    record Parse(Token at, Expr text, List<Token> parts) implements Operator {}

    /**
     * {@code make-series aggregates [default = v] on axis from f to t step s [by keys]};
     * {@code defaults} holds, per aggregate, its default or null.
     */
    record MakeSeries(
            Token at,
            List<Item> aggregates,
            List<Expr> defaults,
            Expr axis,
            Expr from,
            Expr to,
            Expr step,
            List<Item> keys)
            implements Operator {}

    /** {@code render visualization}: how a client should draw the result; the query's last operator. */
    record Render(Token at, Token visualization) implements Operator {}

    /** {@code join kind=K (right) on keys}; {@code kind} null where none was written. */
    record Join(Token at, Token kind, Source right, List<JoinKey> keys) implements Operator {}

    /** {@code Column} (the same on both sides) or {@code $left.A == $right.B}. */
    record JoinKey(Token left, Token right) {}

    /** {@code name = expr}, or {@code expr} alone (name null); {@code at} is the item's first token. */
    record Item(Token at, String name, Expr expr) {}

    /** {@code nulls} is the first/last token after {@code nulls}, or null. */
    record OrderBy(Expr expr, boolean desc, Token nulls) {}

    sealed interface Expr {}

    /** A number, string or timespan token, or the identifier true or false. */
    record Literal(Token token) implements Expr {}

    record ColumnRef(Token name) implements Expr {}

    record Call(Token name, List<Expr> args) implements Expr {}

    record Negate(Token minus, Expr operand) implements Expr {}

    /** and, or, a comparison, a string operator or arithmetic: {@code op} says which. */
    record Binary(Token op, Expr left, Expr right) implements Expr {}

    /** {@code left in (items)} or {@code !in}. */
    record In(Token op, Expr left, List<Expr> items) implements Expr {}
}
