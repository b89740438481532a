package org.registryaudit.auth.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection that a stranger cannot turn against an account's owner.
 *
 * <ul>
 * <li>Per <b>account and address</b> pair: after {@code pair.slowAfter} failures the next attempt
 * waits 1 s after the last failure, then 2 s, 4 s … up to 60 s; after {@code pair.lockoutAfter}
 * the pair is refused for the lockout time. Checks under way count against that budget as if they
 * had failed, so parallel guesses cannot slip between a check and its count: a pair with no
 * failures has at most {@code pair.slowAfter} checks under way, and a further attempt is
 * {@link #BUSY} until one of them ends (a success clears the pair for the others).</li>
 * <li>Per <b>address</b>, across accounts: the same slow-down and lockout with the address limits,
 * and no more checks under way at once than the address has attempts left before its slow-down.</li>
 * <li>Never per account alone: failures from other addresses never slow down or lock out the
 * right password from a clean address. (An attacker with many addresses gets
 * {@code pair.lockoutAfter} guesses per address and lockout time; the password rules are the
 * defence there.)</li>
 * </ul>
 *
 * Every refused attempt counts a failure, attempts made while waiting included, so a guesser only
 * extends its own wait. A success clears the pair; a count is forgotten once no failure came for
 * the lockout time. The counts live in memory: each server counts its own.
 */
public class LoginThrottle {

    /** Bounds the memory an attacker can fill with made-up names; past it, forgotten counts are swept. */
    static final int MAX_ENTRIES = 100_000;

    private static final long MAX_DELAY_SECONDS = 60;

    public record Limits(int slowAfter, int lockoutAfter) {}

    /** What {@link #begin} answers while the pair's or the address's checks under way use up its attempts. */
    public static final long BUSY = -1;

    /** Failures so far, when the last one came, and the password checks under way now. */
    private record Failures(int count, Instant last, int checking) {

        static final Failures NONE = new Failures(0, Instant.EPOCH, 0);
    }

    private final Limits pair;
    private final Limits address;
    private final Duration lockout;
    private final Map<String, Failures> pairs = new ConcurrentHashMap<>();
    private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

    public LoginThrottle(Limits pair, Limits address, Duration lockout) {
        this.pair = pair;
        this.address = address;
        this.lockout = lockout;
    }

    /**
     * Reserves one password check for the pair and returns 0; or returns the seconds to wait, or
     * {@link #BUSY} while other checks of the pair or the address are under way, and reserves
     * nothing. Every reservation ends with {@link #failed} or {@link #succeeded}.
     */
    public long begin(String accountName, String caller, Instant now) {
        String callerAddress = Objects.requireNonNullElse(caller, "-");
        String pairKey = pairKey(accountName, callerAddress);
        long[] wait = {0};
        sweep(now);
        addresses.compute(callerAddress, (k, old) -> {
            Failures f = current(old, now);
            wait[0] = wait(f, address, now);
            if (wait[0] == 0 && f.checking() >= Math.max(1, address.slowAfter() - f.count())) {
                wait[0] = BUSY; // as many checks under way as this address has attempts left
            }
            return wait[0] != 0 ? f : new Failures(f.count(), f.last(), f.checking() + 1);
        });
        if (wait[0] != 0) {
            long pairWait = wait(current(pairs.get(pairKey), now), pair, now);
            return pairWait > 0 ? Math.max(wait[0], pairWait) : wait[0];
        }
        pairs.compute(pairKey, (k, old) -> {
            Failures f = current(old, now);
            wait[0] = wait(f, pair, now);
            if (wait[0] == 0 && f.checking() >= Math.max(1, pair.slowAfter() - f.count())) {
                wait[0] = BUSY;
            }
            return wait[0] != 0 ? f : new Failures(f.count(), f.last(), f.checking() + 1);
        });
        if (wait[0] != 0) {
            addresses.computeIfPresent(callerAddress, (k, f) -> done(f, false, now));
        }
        return wait[0];
    }

    /** A refused attempt: a wrong password after {@link #begin} returned 0, or one that had to wait. */
    public void failed(String accountName, String caller, Instant now, boolean checked) {
        String callerAddress = Objects.requireNonNullElse(caller, "-");
        pairs.compute(pairKey(accountName, callerAddress), (k, old) -> done(current(old, now), true, now, checked));
        addresses.compute(callerAddress, (k, old) -> done(current(old, now), true, now, checked));
    }

    /** A reservation given back without a check (the server was too busy to make it). */
    public void cancel(String accountName, String caller, Instant now) {
        String callerAddress = Objects.requireNonNullElse(caller, "-");
        pairs.computeIfPresent(pairKey(accountName, callerAddress), (k, f) -> done(f, false, now));
        addresses.computeIfPresent(callerAddress, (k, f) -> done(f, false, now));
    }

    public void succeeded(String accountName, String caller, Instant now) {
        String callerAddress = Objects.requireNonNullElse(caller, "-");
        pairs.remove(pairKey(accountName, callerAddress));
        addresses.computeIfPresent(callerAddress, (k, f) -> done(f, false, now));
    }

    private static String pairKey(String accountName, String callerAddress) {
        return accountName + '\u0000' + callerAddress;
    }

    private Failures current(Failures failures, Instant now) {
        if (failures == null) {
            return Failures.NONE;
        }
        return failures.checking() == 0 && failures.last().plus(lockout).isBefore(now) ? Failures.NONE : failures;
    }

    private static Failures done(Failures f, boolean failure, Instant now) {
        return done(f, failure, now, true);
    }

    private static Failures done(Failures f, boolean failure, Instant now, boolean checked) {
        int checking = checked ? Math.max(0, f.checking() - 1) : f.checking();
        return failure ? new Failures(f.count() + 1, now, checking) : new Failures(f.count(), f.last(), checking);
    }

    private long wait(Failures failures, Limits limits, Instant now) {
        if (failures.count() < limits.slowAfter()) {
            return 0;
        }
        Duration delay = failures.count() >= limits.lockoutAfter()
                ? lockout
                : Duration.ofSeconds(
                        Math.min(MAX_DELAY_SECONDS, 1L << Math.min(30, failures.count() - limits.slowAfter())));
        Duration left = Duration.between(now, failures.last().plus(delay));
        return left.isNegative() || left.isZero() ? 0 : Math.max(1, (left.toMillis() + 999) / 1000);
    }

    private void sweep(Instant now) {
        for (Map<String, Failures> counts : List.of(pairs, addresses)) {
            if (counts.size() >= MAX_ENTRIES) {
                counts.values()
                        .removeIf(
                                f -> f.checking() == 0 && f.last().plus(lockout).isBefore(now));
            }
        }
    }
}
