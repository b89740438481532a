package org.registryaudit.changefeed.control;

/** A changefeed request's parameters cannot be read; answered in Notary's error shape. */
public class InvalidFeedRequestException extends RuntimeException {

    public InvalidFeedRequestException(String message) {
        super(message);
    }
}
