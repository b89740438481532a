package org.registryaudit.problems.boundary;

import jakarta.ejb.ApplicationException;

/**
 * A request that cannot be served as sent: answered 400 with the message as the problem's detail.
 * An application exception, so that an EJB throwing it rolls back without logging a stack trace.
 */
@ApplicationException(rollback = true)
public class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String detail) {
        super(detail);
    }
}
