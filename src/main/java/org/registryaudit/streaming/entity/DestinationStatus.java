package org.registryaudit.streaming.entity;

import java.time.Instant;

/**
 * A destination and how its delivery goes, as the API shows it.
 *
 * @param secret {@code configured}, {@code missing} (a webhook cannot sign, nothing is sent) or
 *        {@code not used}; never the secret
 * @param holder the server delivering it now (the lease holder), null when none is
 * @param lag how long delivered records waited, on this server since it started
 */
public record DestinationStatus(
        String name,
        DestinationRequest settings,
        String secret,
        Backlog backlog,
        long delivered,
        long failures,
        Instant lastDeliveredAt,
        String lastError,
        Instant lastErrorAt,
        Instant retryAt,
        String holder,
        Lag lag) {

    /** What waits in the outbox: how many records, and since when the oldest. */
    public record Backlog(long records, Instant oldestStoredAt, Double oldestAgeSeconds) {}

    /** From storing to delivery, over the last records delivered here (null: none yet). */
    public record Lag(long measured, Long p50Millis, Long p99Millis, Long maxMillis) {}
}
