package org.registryaudit.platform.boundary;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * Request parameters read the JAX-RS way, as typed parameters of the resource methods: an
 * {@link Instant} (RFC 3339, years 0001 to 9999) and a {@link PageLimit}. A value that does not
 * convert is a 400 problem whose detail names the parameter and what it takes. (The JAX-RS rules
 * make any other exception of a converter a bare 404; a {@code WebApplicationException} passes
 * through Jersey and RESTEasy as it is, and {@code ProblemMappers} writes it as problem+json.)
 */
@Provider
public class RequestParams implements ParamConverterProvider {

    /** The {@code limit} of a keyset page: 1 to {@link #MAX}, {@link #DEFAULT} when absent. */
    public record PageLimit(int value) {

        public static final int DEFAULT = 100;
        public static final int MAX = 1000;

        /** The limit asked for, or the default when the request named none. */
        public static int of(PageLimit limit) {
            return limit == null ? DEFAULT : limit.value();
        }

        static PageLimit parse(String value) {
            try {
                int limit = Integer.parseInt(value.trim());
                if (limit >= 1 && limit <= MAX) {
                    return new PageLimit(limit);
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new BadRequestException("limit must be a whole number from 1 to " + MAX + ", not '" + value + "'");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType == Instant.class) {
            String name = name(annotations);
            return (ParamConverter<T>) new Converter<Instant>(
                    value -> {
                        try {
                            return time(name, value);
                        } catch (InvalidRequestException e) {
                            throw new BadRequestException(e.getMessage());
                        }
                    },
                    Instant::toString);
        }
        if (rawType == PageLimit.class) {
            return (ParamConverter<T>) new Converter<>(PageLimit::parse, l -> String.valueOf(l.value()));
        }
        return null;
    }

    /** An RFC 3339 time, null for no or an empty value; for request bodies too. */
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

    /** A range [from, to) of which either end may be open. */
    public static void range(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidRequestException("from (" + from + ") must be before to (" + to + ")");
        }
    }

    private static String name(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) {
                return q.value();
            } else if (a instanceof PathParam p) {
                return p.value();
            } else if (a instanceof HeaderParam h) {
                return h.value();
            } else if (a instanceof FormParam f) {
                return f.value();
            }
        }
        return "the parameter";
    }

    /** A conversion from text; null (an absent or empty parameter) stays null. */
    private record Converter<T>(Function<String, T> parse, Function<T, String> format) implements ParamConverter<T> {
        @Override
        public T fromString(String value) {
            return value == null || value.isBlank() ? null : parse.apply(value);
        }

        @Override
        public String toString(T value) {
            return value == null ? null : format.apply(value);
        }
    }
}
