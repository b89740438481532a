package org.registryaudit.ingest.control;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads typed, length-checked fields out of a JSON object and names the offending field by its
 * path when a value is missing or wrong, so that a rejected message says exactly why.
 */
final class Fields {

    private final JsonObject object;
    private final String path;

    Fields(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    static Fields of(JsonValue value, String path) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return new Fields(JsonValue.EMPTY_JSON_OBJECT, path);
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidMessageException(path + " must be a JSON object");
        }
        return new Fields(value.asJsonObject(), path);
    }

    Fields object(String name) {
        return of(object.get(name), path + "." + name);
    }

    String required(String name, int maxLength) {
        String value = text(name, maxLength);
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException(path + "." + name + " is required");
        }
        return value;
    }

    String text(String name, int maxLength) {
        JsonValue value = object.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidMessageException(path + "." + name + " must be a string");
        }
        String text = ((JsonString) value).getString();
        if (text.length() > maxLength) {
            throw new InvalidMessageException(path + "." + name + " is " + text.length() + " characters long; at most "
                    + maxLength + " are allowed");
        }
        return text.isEmpty() ? null : text;
    }

    Long number(String name) {
        JsonValue value = object.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()) {
            throw new InvalidMessageException(path + "." + name + " must be an integer");
        }
        long number = ((JsonNumber) value).longValue();
        if (number < 0) {
            throw new InvalidMessageException(path + "." + name + " must not be negative");
        }
        return number;
    }

    /** The earliest event time taken: nothing a registry records comes from before 1970. */
    static final Instant EARLIEST = Instant.EPOCH;
    /** How far ahead of this server's clock an event time may be (a producer's clock runs fast). */
    static final Duration AHEAD = Duration.ofDays(1);

    /**
     * An RFC 3339 time from 1970 to a day from now; kept to the microsecond, which both databases
     * store exactly. A time centuries away is a broken producer's, and stored it would hide among
     * the archive's oldest records or stay "newest" for ever.
     */
    Instant time(String name) {
        String text = required(name, 64);
        Instant time;
        try {
            time = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException(path + "." + name + " is not an RFC 3339 time: " + text);
        }
        if (time.isBefore(EARLIEST) || time.isAfter(Instant.now().plus(AHEAD))) {
            throw new InvalidMessageException(
                    path + "." + name + " is " + text + "; an event time must lie between 1970 and a day from now");
        }
        return time;
    }
}
