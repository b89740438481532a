package org.registryaudit.metrics.control;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.registryaudit.problems.boundary.InvalidRequestException;

/** The time grains of AzureMetrics rows: counted per minute, rolled up to hours and days (UTC). */
public enum TimeGrain {
    PT1M(ChronoUnit.MINUTES),
    PT1H(ChronoUnit.HOURS),
    P1D(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    TimeGrain(ChronoUnit unit) {
        this.unit = unit;
    }

    public Instant start(Instant time) {
        return time.truncatedTo(unit);
    }

    public static TimeGrain parse(String value) {
        if (value == null || value.isBlank()) {
            return PT1H;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("timeGrain must be one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ", not '" + value
                    + "'");
        }
    }
}
