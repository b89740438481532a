package org.registryaudit.query.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.registryaudit.query.control.KqlSyntax.Binary;
import org.registryaudit.query.control.KqlSyntax.Call;
import org.registryaudit.query.control.KqlSyntax.ColumnRef;
import org.registryaudit.query.control.KqlSyntax.Expr;
import org.registryaudit.query.control.KqlSyntax.In;
import org.registryaudit.query.control.KqlSyntax.Item;
import org.registryaudit.query.control.KqlSyntax.Literal;
import org.registryaudit.query.control.KqlSyntax.Negate;
import org.registryaudit.query.control.KqlSyntax.Operator;
import org.registryaudit.query.control.KqlSyntax.OrderBy;
import org.registryaudit.query.control.KqlSyntax.Query;
import org.registryaudit.query.control.KqlSyntax.Source;
import org.registryaudit.query.control.Token.Kind;

/**
 * The second stage: the lexer's tokens to a {@link KqlSyntax} tree, by recursive descent. Its
 * errors are those of the grammar (a missing parenthesis, an unknown operator, a row count that is
 * not a whole number, an over-long name); whether names and types make sense is the checker's.
 * Precedence, loosest first: {@code or}, {@code and}, comparisons and string operators, {@code +}
 * and {@code -}, {@code *} and {@code /}, unary minus. {@code let} statements before the query
 * name a scalar expression or a tabular one; the parser puts each in where its name is used, so
 * the later stages see the query as if it had been written out (a let name hides a column of the
 * same name).
 */
final class KqlParser {

    static final int MAX_IDENTIFIER_LENGTH = 60;
    static final long MAX_TAKE = 1_000_000;

    static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=", "=~", "!~");
    static final List<String> STRING_OPERATORS =
            List.of("contains", "!contains", "startswith", "!startswith", "endswith", "!endswith", "has", "!has");
    /** The operators written as words, for the message about a misspelt one. */
    static final List<String> WORD_OPERATORS = Stream.concat(
                    STRING_OPERATORS.stream(), Stream.of("in", "!in", "and", "or"))
            .toList();

    private final List<Token> tokens;
    private int next;
    private final Map<String, Expr> scalars = new HashMap<>();
    private final Map<String, Query> tabulars = new HashMap<>();

    private KqlParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Query parse(List<Token> tokens) {
        KqlParser parser = new KqlParser(tokens);
        parser.lets();
        Query query = parser.query();
        Token end = parser.peek();
        if (end.kind() != Kind.END) {
            throw error(end, "expected '|' or the end of the query, found " + end.describe());
        }
        return query;
    }

    // ---- let statements ----

    /** let name = expression; … before the query. */
    private void lets() {
        while (accept("let")) {
            Token name = next();
            identifier(name);
            if (QueryTables.ALL.containsKey(name.text()) || name.text().startsWith("$")) {
                throw error(name, "a let name cannot be a table's name");
            }
            expect("=");
            if (startsTabular()) {
                tabulars.put(name.text(), query());
                scalars.remove(name.text());
            } else {
                if (peek().is("(") && peek(1).kind() == Kind.IDENTIFIER && peek(2).is(":")) {
                    throw error(peek(), "a let of a function (name = (x: type) { … }) is not supported");
                }
                scalars.put(name.text(), expression());
                tabulars.remove(name.text());
            }
            Token end = next();
            if (!end.is(";")) {
                throw error(end, "expected ';' after the let statement, found " + end.describe());
            }
        }
    }

    /** Whether a let's value is a table: it starts with a table, a tabular let or union, inside parentheses or not. */
    private boolean startsTabular() {
        int ahead = 0;
        while (peek(ahead).is("(")) {
            ahead++;
        }
        Token t = peek(ahead);
        return t.is("union")
                || t.kind() == Kind.IDENTIFIER
                        && (QueryTables.ALL.containsKey(t.text()) || tabulars.containsKey(t.text()))
                        && !peek(ahead + 1).is("(");
    }

    // ---- tabular expressions ----

    private Query query() {
        Source source = source();
        List<Operator> operators = new ArrayList<>();
        while (accept("|")) {
            operators.add(operator());
        }
        return new Query(source, operators);
    }

    private Source source() {
        Token t = peek();
        if (t.is("union")) {
            next();
            return new KqlSyntax.UnionSource(t, unionSides());
        }
        if (accept("(")) {
            Query inner = query();
            expect(")");
            return new KqlSyntax.Nested(inner);
        }
        return named(next());
    }

    /** A table, or a tabular let's query. */
    private Source named(Token name) {
        Query let = name.kind() == Kind.IDENTIFIER ? tabulars.get(name.text()) : null;
        return let != null ? new KqlSyntax.Nested(let) : table(name);
    }

    /** The tables are known before any query is read, so a name that is none is the grammar's error. */
    private static KqlSyntax.TableRef table(Token name) {
        if (name.kind() != Kind.IDENTIFIER) {
            throw error(
                    name,
                    "expected a table name (" + String.join(", ", QueryTables.ALL.keySet()) + "), found "
                            + name.describe());
        }
        if (!QueryTables.ALL.containsKey(name.text())) {
            String suggestion = KqlChecker.closest(name.text(), QueryTables.ALL.keySet())
                    .map(n -> "; did you mean " + n + "?")
                    .orElse("; the tables are " + String.join(", ", QueryTables.ALL.keySet()));
            throw error(name, "unknown table '" + name.text() + "'" + suggestion);
        }
        return new KqlSyntax.TableRef(name);
    }

    private List<Source> unionSides() {
        List<Source> sides = new ArrayList<>();
        do {
            if (accept("(")) {
                sides.add(new KqlSyntax.Nested(query()));
                expect(")");
            } else {
                sides.add(named(next()));
            }
        } while (accept(","));
        return sides;
    }

    private Operator operator() {
        Token op = next();
        if (op.kind() != Kind.IDENTIFIER) {
            throw error(
                    op,
                    "expected an operator after '|' (where, project, extend, summarize, top, take, sort, "
                            + "distinct, count, union), found " + op.describe());
        }
        return switch (op.text()) {
            case "where", "filter" -> where();
            case "project" -> new KqlSyntax.Project(items());
            case "extend" -> new KqlSyntax.Extend(items());
            case "summarize" -> summarize();
            case "top" -> {
                long rows = rows(next(), "top");
                expect("by");
                yield new KqlSyntax.Top(rows, orderBy());
            }
            case "take", "limit" -> new KqlSyntax.Take(rows(next(), "take"));
            case "sort", "order" -> {
                expect("by");
                List<OrderBy> keys = new ArrayList<>();
                do {
                    keys.add(orderBy());
                } while (accept(","));
                yield new KqlSyntax.Sort(keys);
            }
            case "distinct" -> distinct();
            case "count" -> new KqlSyntax.Count();
            case "union" -> new KqlSyntax.Union(op, unionSides());
            case "join" -> join(op);
            case "parse" -> parse(op);
            case "make" -> makeSeries(op);
            case "render" -> {
                Token visualization = next();
                if (visualization.kind() != Kind.IDENTIFIER) {
                    throw error(visualization, "render needs a visualization, such as timechart or barchart");
                }
                if (peek().is("with")) {
                    throw error(peek(), "render's with (…) properties are not supported");
                }
                if (peek().kind() != Kind.END) {
                    throw error(
                            peek(), "render is the query's last operator; found " + peek().describe() + " after it");
                }
                yield new KqlSyntax.Render(op, visualization);
            }
            default ->
                throw error(
                        op,
                        "unknown or unsupported operator '" + op.text() + "'; supported: where, project, "
                                + "extend, summarize, top, take, limit, sort, order, distinct, count, union, join, parse, make-series, render");
        };
    }

    /** join [kind=K] (query) | Table on Column, $left.A == $right.B, … */
    private Operator join(Token op) {
        Token kind = null;
        if (accept("kind")) {
            expect("=");
            kind = next();
        }
        Source right;
        if (accept("(")) {
            right = new KqlSyntax.Nested(query());
            expect(")");
        } else {
            right = named(next());
        }
        expect("on");
        List<KqlSyntax.JoinKey> keys = new ArrayList<>();
        do {
            Token first = next();
            if (first.is("$left")) {
                expect(".");
                Token left = column(next());
                expect("==");
                Token side = next();
                if (!side.is("$right")) {
                    throw error(side, "a join key compares $left.Column with $right.Column, found " + side.describe());
                }
                expect(".");
                keys.add(new KqlSyntax.JoinKey(left, column(next())));
            } else {
                keys.add(new KqlSyntax.JoinKey(column(first), first));
            }
        } while (accept(","));
        return new KqlSyntax.Join(op, kind, right, keys);
    }

    /** make-series [Name =] aggregation [default = value], … on Axis from f to t step s [by keys] */
    private Operator makeSeries(Token op) {
        expect("-");
        expect("series");
        List<Item> aggregates = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        do {
            Token at = peek();
            String name = assignedName();
            aggregates.add(new Item(at, name, expression()));
            if (accept("default")) {
                expect("=");
                defaults.add(expression());
            } else {
                defaults.add(null);
            }
        } while (accept(","));
        expect("on");
        Expr axis = expression();
        expect("from");
        Expr from = expression();
        expect("to");
        Expr to = expression();
        expect("step");
        Expr step = expression();
        List<Item> keys = new ArrayList<>();
        if (accept("by")) {
            keys = items();
        }
        return new KqlSyntax.MakeSeries(op, aggregates, defaults, axis, from, to, step, keys);
    }

    /** parse [kind=simple] text with "literal" Column [: string] "literal" … [*] */
    private Operator parse(Token op) {
        if (accept("kind")) {
            expect("=");
            Token kind = next();
            if (!kind.is("simple")) {
                throw error(kind, "parse kind=" + kind.text() + " is not supported; kind=simple is");
            }
        }
        Expr text = expression();
        expect("with");
        List<Token> parts = new ArrayList<>();
        while (!peek().is("|") && peek().kind() != Kind.END) {
            Token t = next();
            if (t.kind() == Kind.STRING || t.is("*")) {
                parts.add(t);
            } else if (t.kind() == Kind.IDENTIFIER) {
                identifier(t);
                parts.add(t);
                if (accept(":")) {
                    Token type = next();
                    if (!type.is("string")) {
                        throw error(type, "parse extracts strings; convert them after it, as in extend n = tolong(N)");
                    }
                }
            } else {
                throw error(t, "a parse pattern has string literals, column names and *, found " + t.describe());
            }
        }
        if (parts.isEmpty()) {
            throw error(peek(), "parse needs a pattern after with, such as Tool \"/\" Version \" \" *");
        }
        return new KqlSyntax.Parse(op, text, parts);
    }

    private static Token column(Token t) {
        if (t.kind() != Kind.IDENTIFIER || t.text().startsWith("$")) {
            throw error(t, "expected a column name, or $left.Column == $right.Column, found " + t.describe());
        }
        return t;
    }

    private Operator where() {
        Expr condition = expression();
        Token after = peek();
        if (after.kind() == Kind.IDENTIFIER
                || after.kind() == Kind.SYMBOL
                        && after.text().startsWith("!")
                        && after.text().length() > 1) {
            throw error(
                    after,
                    "unknown operator '" + after.text() + "'"
                            + KqlChecker.closest(after.text(), WORD_OPERATORS)
                                    .map(o -> "; did you mean " + o + "?")
                                    .orElse("; the operators are ==, !=, <, <=, >, >=, =~, !~, "
                                            + String.join(", ", WORD_OPERATORS)));
        }
        return new KqlSyntax.Where(condition);
    }

    /** {@code [name =] expr, …} of project and extend. */
    private List<Item> items() {
        List<Item> items = new ArrayList<>();
        do {
            Token at = peek();
            String name = assignedName();
            items.add(new Item(at, name, expression()));
        } while (accept(","));
        return items;
    }

    private Operator summarize() {
        List<Item> aggregates = new ArrayList<>();
        if (!peek().is("by")) {
            aggregates = items();
        }
        List<Item> keys = new ArrayList<>();
        if (accept("by")) {
            keys = items();
        }
        return new KqlSyntax.Summarize(aggregates, keys, peek());
    }

    private Operator distinct() {
        List<Token> columns = new ArrayList<>();
        if (accept("*")) {
            return new KqlSyntax.Distinct(columns);
        }
        do {
            Token at = next();
            identifier(at);
            columns.add(at);
        } while (accept(","));
        return new KqlSyntax.Distinct(columns);
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

    private OrderBy orderBy() {
        Expr e = expression();
        boolean desc = true;
        if (accept("asc")) {
            desc = false;
        } else {
            accept("desc");
        }
        Token nulls = null;
        if (accept("nulls")) {
            nulls = next();
            if (!nulls.is("first") && !nulls.is("last")) {
                throw error(nulls, "expected first or last after nulls, found " + nulls.describe());
            }
        }
        return new OrderBy(e, desc, nulls);
    }

    private static long rows(Token t, String operator) {
        if (t.kind() != Kind.NUMBER || !(t.value() instanceof Long n) || n < 0 || n > MAX_TAKE) {
            throw error(
                    t, operator + " needs a whole number of rows from 0 to " + MAX_TAKE + ", found " + t.describe());
        }
        return n;
    }

    // ---- scalar expressions ----

    private Expr expression() {
        return or();
    }

    private Expr or() {
        Expr left = and();
        while (peek().is("or")) {
            Token at = next();
            left = new Binary(at, left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = comparison();
        while (peek().is("and")) {
            Token at = next();
            left = new Binary(at, left, comparison());
        }
        return left;
    }

    private Expr comparison() {
        Expr left = additive();
        Token op = peek();
        if (op.kind() == Kind.SYMBOL && COMPARISONS.contains(op.text())
                || STRING_OPERATORS.contains(op.text()) && op.kind() != Kind.STRING) {
            next();
            return new Binary(op, left, additive());
        }
        if ((op.is("in") || op.is("!in")) && op.kind() != Kind.STRING) {
            next();
            expect("(");
            List<Expr> items = new ArrayList<>();
            do {
                items.add(additive());
            } while (accept(","));
            expect(")");
            return new In(op, left, items);
        }
        return left;
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peek().is("+") || peek().is("-")) {
            Token op = next();
            left = new Binary(op, left, multiplicative());
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peek().is("*") || peek().is("/")) {
            Token op = next();
            left = new Binary(op, left, unary());
        }
        return left;
    }

    private Expr unary() {
        if (peek().is("-")) {
            Token minus = next();
            return new Negate(minus, unary());
        }
        return primary();
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER, STRING, TIMESPAN:
                return new Literal(t);
            case IDENTIFIER:
                if (peek().is("(")) {
                    next();
                    List<Expr> args = new ArrayList<>();
                    if (!accept(")")) {
                        do {
                            // arg_max(x, *): every column, written as a column named *
                            args.add(
                                    peek().is("*") && (t.is("arg_max") || t.is("arg_min"))
                                            ? new ColumnRef(next())
                                            : expression());
                        } while (accept(","));
                        expect(")");
                    }
                    return new Call(t, args);
                }
                if (t.text().equals("true") || t.text().equals("false")) {
                    return new Literal(t);
                }
                identifier(t);
                Expr let = scalars.get(t.text());
                return let != null ? let : new ColumnRef(t);
            default:
                if (t.is("(")) {
                    Expr inner = expression();
                    expect(")");
                    return inner;
                }
                throw error(t, "expected a column, a literal or a function, found " + t.describe());
        }
    }

    static String identifier(Token t) {
        if (t.kind() != Kind.IDENTIFIER) {
            throw error(t, "expected a column name, found " + t.describe());
        }
        if (t.text().length() > MAX_IDENTIFIER_LENGTH) {
            throw error(t, "a column name has at most " + MAX_IDENTIFIER_LENGTH + " characters");
        }
        return t.text();
    }

    // ---- tokens ----

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

    static QuerySyntaxException error(Token at, String message) {
        return new QuerySyntaxException(at.line(), at.column(), message);
    }
}
