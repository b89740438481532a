package org.registryaudit.query.control;

import org.registryaudit.problems.boundary.InvalidRequestException;

/** A query that cannot be read or translated; the message names the line and column. */
public class QuerySyntaxException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public QuerySyntaxException(int line, int column, String message) {
        super("line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
