package org.registryaudit.auth.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection, counted per account name and per caller address. Every refused attempt
 * counts a failure: wrong credentials, and any attempt made while the caller has to wait. After
 * {@code slowAfter} failures the next attempt has to wait 1 s after the last failure, then 2 s,
 * 4 s, … up to 60 s; after {@code lockoutAfter} failures every attempt is refused for the lockout
 * time, whatever the password. A success clears the account's count; a count is forgotten once no
 * failure came for the lockout time. The counts live in memory: each server counts its own.
 */
public class LoginThrottle {

    /** Bounds the memory an attacker can fill with made-up names; past it, forgotten counts are swept. */
    static final int MAX_ENTRIES = 100_000;
    private static final long MAX_DELAY_SECONDS = 60;

    public record Limits(int slowAfter, int lockoutAfter) {
    }

    private record Failures(int count, Instant last) {
    }

    private final Limits account;
    private final Limits address;
    private final Duration lockout;
    private final Map<String, Failures> accounts = new ConcurrentHashMap<>();
    private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

    public LoginThrottle(Limits account, Limits address, Duration lockout) {
        this.account = account;
        this.address = address;
        this.lockout = lockout;
    }

    /** Seconds until this attempt may be checked, 0 if it may be checked now. */
    public long waitSeconds(String accountName, String callerAddress, Instant now) {
        return Math.max(wait(accounts, accountName, account, now), wait(addresses, callerAddress, address, now));
    }

    public void failed(String accountName, String callerAddress, Instant now) {
        count(accounts, accountName, now);
        count(addresses, callerAddress, now);
    }

    public void succeeded(String accountName) {
        if (accountName != null) {
            accounts.remove(accountName);
        }
    }

    private long wait(Map<String, Failures> counts, String key, Limits limits, Instant now) {
        Failures failures = key == null ? null : current(counts, key, now);
        if (failures == null || failures.count() < limits.slowAfter()) {
            return 0;
        }
        Duration delay = failures.count() >= limits.lockoutAfter() ? lockout
                : Duration.ofSeconds(Math.min(MAX_DELAY_SECONDS, 1L << Math.min(30, failures.count() - limits.slowAfter())));
        Duration left = Duration.between(now, failures.last().plus(delay));
        return left.isNegative() || left.isZero() ? 0 : Math.max(1, (left.toMillis() + 999) / 1000);
    }

    private Failures current(Map<String, Failures> counts, String key, Instant now) {
        Failures failures = counts.get(key);
        return failures == null || failures.last().plus(lockout).isBefore(now) ? null : failures;
    }

    private void count(Map<String, Failures> counts, String key, Instant now) {
        if (key == null) {
            return;
        }
        if (counts.size() >= MAX_ENTRIES) {
            counts.values().removeIf(f -> f.last().plus(lockout).isBefore(now));
        }
        counts.compute(key, (k, old) -> {
            int before = old == null || old.last().plus(lockout).isBefore(now) ? 0 : old.count();
            return new Failures(before + 1, now);
        });
    }
}
