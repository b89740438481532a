package org.registryaudit.auth.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a caller address): {@code perSecond} requests a second on average, up
 * to {@code burst} at once. A refused request is to be recorded only once a second per key, with
 * the number refused since, so that a flood neither passes nor fills the login event table.
 */
public class RateLimit {

    static final int MAX_ENTRIES = 100_000;

    /**
     * @param allowed whether the request may go on
     * @param record whether this refusal is the one of this second to record
     * @param unrecorded refusals of this key since the last recorded one, this one excluded
     */
    public record Verdict(boolean allowed, boolean record, long unrecorded) {

        static final Verdict ALLOWED = new Verdict(true, false, 0);
    }

    private record Bucket(double tokens, Instant filled, Instant recorded, long unrecorded) {}

    private final double perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimit(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    public Verdict take(String key, Instant now) {
        if (buckets.size() >= MAX_ENTRIES) {
            buckets.values()
                    .removeIf(b -> b.filled()
                            .plusSeconds((long) Math.ceil(burst / perSecond) + 1)
                            .isBefore(now));
        }
        Verdict[] verdict = new Verdict[1];
        buckets.compute(key == null ? "-" : key, (k, old) -> {
            Bucket b = old == null ? new Bucket(burst, now, Instant.EPOCH, 0) : old;
            double seconds = Math.max(0, Duration.between(b.filled(), now).toNanos() / 1e9);
            double tokens = Math.min(burst, b.tokens() + seconds * perSecond);
            if (tokens >= 1) {
                verdict[0] = Verdict.ALLOWED;
                return new Bucket(tokens - 1, now, b.recorded(), b.unrecorded());
            }
            if (!b.recorded().plusSeconds(1).isAfter(now)) {
                verdict[0] = new Verdict(false, true, b.unrecorded());
                return new Bucket(tokens, now, now, 0);
            }
            verdict[0] = new Verdict(false, false, b.unrecorded() + 1);
            return new Bucket(tokens, now, b.recorded(), b.unrecorded() + 1);
        });
        return verdict[0];
    }
}
