package org.registryaudit.problems.boundary;

import jakarta.ejb.ApplicationException;

/**
 * A request refused for now because a limit is reached (queries at once, say): answered 429 with
 * the message as the problem's detail and {@code Retry-After}.
 */
@ApplicationException(rollback = true)
public class BusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;

    public BusyException(String detail, long retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
