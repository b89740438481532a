package org.registryaudit.problems.boundary;

/** A request that cannot be served as sent: answered 400 with the message as the problem's detail. */
public class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String detail) {
        super(detail);
    }
}
