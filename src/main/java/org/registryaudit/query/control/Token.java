package org.registryaudit.query.control;

/**
 * A token of a query. {@code value} holds what a literal means: the String of a string, the Long or
 * Double of a number, the java.time.Duration of a timespan.
 */
record Token(Kind kind, String text, Object value, int line, int column) {

    enum Kind {
        IDENTIFIER,
        STRING,
        NUMBER,
        TIMESPAN,
        SYMBOL,
        END
    }

    boolean is(String symbolOrWord) {
        return (kind == Kind.SYMBOL || kind == Kind.IDENTIFIER) && text.equals(symbolOrWord);
    }

    String describe() {
        return switch (kind) {
            case END -> "the end of the query";
            case STRING -> "the string " + text;
            default -> "'" + text + "'";
        };
    }
}
