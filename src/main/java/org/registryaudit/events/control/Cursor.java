package org.registryaudit.events.control;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * The keyset position after the last row of a page: its time and id. Opaque to clients; a page
 * read with it continues exactly after that row however many events have arrived meanwhile.
 */
public record Cursor(Instant time, long id) {

    public String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((time + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = decoded.indexOf('|');
            return new Cursor(Instant.parse(decoded.substring(0, bar)), Long.parseLong(decoded.substring(bar + 1)));
        } catch (IllegalArgumentException | DateTimeParseException | IndexOutOfBoundsException e) {
            throw new InvalidRequestException("cursor '" + text + "' is not one this API returned; "
                    + "pass the 'next' value of the previous page unchanged");
        }
    }
}
