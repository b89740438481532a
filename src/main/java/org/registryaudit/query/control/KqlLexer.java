package org.registryaudit.query.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.registryaudit.query.control.Token.Kind;

/**
 * Splits a query into tokens, each with its line and column (1-based). Strings are "…" or '…' with
 * backslash escapes, or verbatim @"…"; a number directly followed by d, h, m, s or ms is a
 * timespan; {@code datetime(…)} may hold its time unquoted, as in Kusto; {@code //} starts a
 * comment.
 */
final class KqlLexer {

    static final int MAX_QUERY_LENGTH = 20_000;
    private static final List<String> SYMBOLS = List.of(
            "==", "!=", "<=", ">=", "=~", "!~", "|", ",", "(", ")", "<", ">", "=", "+", "-", "*", "/", ".", ";", ":",
            "{", "}");

    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private KqlLexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String query) {
        if (query == null || query.isBlank()) {
            throw new QuerySyntaxException(
                    1,
                    1,
                    "the query is empty; start it with a table name such as " + "ContainerRegistryRepositoryEvents");
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new QuerySyntaxException(
                    1,
                    1,
                    "the query is " + query.length() + " characters long; at most " + MAX_QUERY_LENGTH
                            + " are accepted");
        }
        return new KqlLexer(query).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                tokens.add(new Token(Kind.END, "", null, line, column()));
                return tokens;
            }
            Token token = next();
            tokens.add(token);
            if (token.kind() == Kind.IDENTIFIER && token.text().equals("datetime")) {
                datetimeArgument(tokens);
            }
        }
    }

    private Token next() {
        int startLine = line;
        int startColumn = column();
        char c = text.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Kind.IDENTIFIER, text.substring(start, pos), null, startLine, startColumn);
        }
        if (c == '$' && pos + 1 < text.length() && Character.isLetter(text.charAt(pos + 1))) {
            int start = pos++; // $left and $right of a join's keys
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.IDENTIFIER, text.substring(start, pos), null, startLine, startColumn);
        }
        if (Character.isDigit(c)) {
            return number(startLine, startColumn);
        }
        if (c == '"' || c == '\'') {
            return string(c, startLine, startColumn);
        }
        if (c == '@' && pos + 1 < text.length() && (text.charAt(pos + 1) == '"' || text.charAt(pos + 1) == '\'')) {
            return verbatim(startLine, startColumn);
        }
        if (c == '!' && pos + 1 < text.length() && Character.isLetter(text.charAt(pos + 1))) {
            int start = pos++;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Kind.SYMBOL, text.substring(start, pos), null, startLine, startColumn);
        }
        for (String symbol : SYMBOLS) {
            if (text.startsWith(symbol, pos)) {
                pos += symbol.length();
                return new Token(Kind.SYMBOL, symbol, null, startLine, startColumn);
            }
        }
        throw new QuerySyntaxException(startLine, startColumn, "unexpected character '" + c + "'");
    }

    private Token number(int startLine, int startColumn) {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        boolean real = false;
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isDigit(text.charAt(pos + 1))) {
            real = true;
            pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        String digits = text.substring(start, pos);
        int unitStart = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        String unit = text.substring(unitStart, pos);
        try {
            if (unit.isEmpty()) {
                return new Token(
                        Kind.NUMBER,
                        digits,
                        real ? (Object) Double.parseDouble(digits) : Long.parseLong(digits),
                        startLine,
                        startColumn);
            }
            double amount = Double.parseDouble(digits);
            long nanos = switch (unit) {
                case "d" -> 86_400_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                default ->
                    throw new QuerySyntaxException(
                            startLine,
                            startColumn,
                            "'" + digits + unit
                                    + "' is not a number or a timespan; timespans end in d, h, m, s or ms, as in 1d or 30m");
            };
            double total = amount * nanos;
            if (total > Long.MAX_VALUE) {
                throw new QuerySyntaxException(
                        startLine, startColumn, "the timespan " + digits + unit + " is too long");
            }
            return new Token(Kind.TIMESPAN, digits + unit, Duration.ofNanos((long) total), startLine, startColumn);
        } catch (NumberFormatException e) {
            throw new QuerySyntaxException(startLine, startColumn, "the number " + digits + " is too large");
        }
    }

    private Token string(char quote, int startLine, int startColumn) {
        StringBuilder value = new StringBuilder();
        int start = pos++;
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw new QuerySyntaxException(startLine, startColumn, "this string has no closing " + quote);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return new Token(Kind.STRING, text.substring(start, pos), value.toString(), startLine, startColumn);
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw new QuerySyntaxException(startLine, startColumn, "this string has no closing " + quote);
                }
                char escaped = text.charAt(pos++);
                value.append(
                        switch (escaped) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case '\\', '"', '\'' -> escaped;
                            default ->
                                throw new QuerySyntaxException(
                                        line,
                                        column() - 2,
                                        "unknown escape \\" + escaped + " in a string; use \\\\ for a backslash");
                        });
            } else {
                value.append(c);
            }
        }
    }

    private Token verbatim(int startLine, int startColumn) {
        int start = pos;
        char quote = text.charAt(pos + 1);
        pos += 2;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw new QuerySyntaxException(startLine, startColumn, "this string has no closing " + quote);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                if (pos < text.length() && text.charAt(pos) == quote) {
                    value.append(quote);
                    pos++;
                    continue;
                }
                return new Token(Kind.STRING, text.substring(start, pos), value.toString(), startLine, startColumn);
            }
            value.append(c);
        }
    }

    /** Kusto writes datetime(2026-11-21 10:00) unquoted: the text up to ')' becomes one string. */
    private void datetimeArgument(List<Token> tokens) {
        skipSpaceAndComments();
        if (pos >= text.length() || text.charAt(pos) != '(') {
            return;
        }
        tokens.add(new Token(Kind.SYMBOL, "(", null, line, column()));
        pos++;
        skipSpaceAndComments();
        if (pos < text.length() && (text.charAt(pos) == '"' || text.charAt(pos) == '\'' || text.charAt(pos) == ')')) {
            return;
        }
        int startColumn = column();
        int close = text.indexOf(')', pos);
        int newline = text.indexOf('\n', pos);
        if (close < 0 || (newline >= 0 && newline < close)) {
            throw new QuerySyntaxException(line, startColumn, "datetime( has no closing )");
        }
        String raw = text.substring(pos, close).trim();
        tokens.add(new Token(Kind.STRING, raw, raw, line, startColumn));
        pos = close;
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (text.startsWith("//", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private int column() {
        return pos - lineStart + 1;
    }
}
