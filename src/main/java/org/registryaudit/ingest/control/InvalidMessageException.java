package org.registryaudit.ingest.control;

/** A message, or one event in it, that cannot be stored: it is recorded as rejected, never retried. */
public class InvalidMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidMessageException(String reason) {
        super(reason);
    }
}
