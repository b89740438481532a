package org.registryaudit.events.boundary;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * Query parameters of the read APIs, read as text so that a bad value is a 400 that names it (a
 * typed JAX-RS parameter that fails to convert would be a bare 404).
 */
public final class Params {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private Params() {}

    public static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(
                "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
    }

    public static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(value.trim());
            if (time.getYear() < 1 || time.getYear() > 9999) {
                throw new InvalidRequestException(name + " must be a time from year 0001 to 9999, not '" + value + "'");
            }
            return time.toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    name + " must be an RFC 3339 time such as 2026-11-21T12:00:00Z, not '" + value + "'");
        }
    }

    public static void range(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidRequestException("from (" + from + ") must be before to (" + to + ")");
        }
    }
}
