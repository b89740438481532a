package org.registryaudit.auth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final Instant t0 = Instant.parse("2026-11-21T12:00:00Z");
    final LoginThrottle throttle =
            new LoginThrottle(new LoginThrottle.Limits(3, 6), new LoginThrottle.Limits(5, 8), Duration.ofMinutes(15));

    /** One attempt as the token endpoint makes it: reserve, check, count; the seconds to wait, or 0 if checked. */
    long attempt(String account, String address, Instant now, boolean right) {
        long wait = throttle.begin(account, address, now);
        if (wait > 0) {
            throttle.failed(account, address, now, false);
            return wait;
        }
        if (right) {
            throttle.succeeded(account, address, now);
        } else {
            throttle.failed(account, address, now, true);
        }
        return 0;
    }

    @Test
    void slowsDownThenLocksOutAnAccountFromOneAddress() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, attempt("bob", "10.0.0.1", t0, false));
        }
        assertEquals(1, attempt("bob", "10.0.0.1", t0, false), "the fourth attempt waits 1 s, and counts");
        assertEquals(0, attempt("bob", "10.0.0.1", t0.plusSeconds(2), false), "then 2 s");
        assertEquals(4, throttle.begin("bob", "10.0.0.1", t0.plusSeconds(2)), "then 4 s");
        assertEquals(0, attempt("bob", "10.0.0.1", t0.plusSeconds(10), false));
        assertEquals(900, attempt("bob", "10.0.0.1", t0.plusSeconds(10), true), "six failures lock the pair out");
        assertEquals(0, attempt("bob", "10.0.0.1", t0.plusSeconds(10 + 901), true), "the lockout ends");
    }

    /** A stranger's wrong passwords never keep the owner out: the right password from a clean address gets in. */
    @Test
    void strangersCannotLockAnOwnerOut() {
        for (int i = 0; i < 50; i++) {
            attempt("admin", "203.0.113." + (i % 5), t0.plusSeconds(i), false);
        }
        assertEquals(0, attempt("admin", "198.51.100.1", t0.plusSeconds(50), true));
        assertTrue(throttle.begin("admin", "203.0.113.1", t0.plusSeconds(50)) > 800, "the guessing addresses are");
    }

    @Test
    void countsFailuresPerAddressAcrossAccounts() {
        for (int i = 0; i < 5; i++) {
            attempt("user" + i, "10.9.9.9", t0, false);
        }
        assertEquals(1, throttle.begin("fresh", "10.9.9.9", t0));
        assertEquals(0, attempt("fresh", "10.9.9.8", t0, true));
        for (int i = 0; i < 3; i++) {
            attempt("more" + i, "10.9.9.9", t0.plusSeconds(100), false);
        }
        assertEquals(900, throttle.begin("fresh", "10.9.9.9", t0.plusSeconds(100)));
    }

    /**
     * Parallel guesses cannot slip between a check and its count: checks under way use up the
     * pair's attempts as failures would, and the next one is busy until one ends.
     */
    @Test
    void parallelChecksNeverExceedTheAttemptsLeft() {
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    0, throttle.begin("carol", "10.1.1.1", t0), "a clean pair has 3 attempts before its slow-down");
        }
        assertEquals(LoginThrottle.BUSY, throttle.begin("carol", "10.1.1.1", t0));
        throttle.succeeded("carol", "10.1.1.1", t0);
        assertEquals(0, throttle.begin("carol", "10.1.1.1", t0), "a success clears the pair for the others");
        throttle.failed("carol", "10.1.1.1", t0, true);
        throttle.failed("carol", "10.1.1.1", t0, true);
        throttle.cancel("carol", "10.1.1.1", t0);
        // the address: 2 failures so far, so 3 more checks at once, then busy
        assertEquals(0, throttle.begin("u1", "10.1.1.1", t0));
        assertEquals(0, throttle.begin("u2", "10.1.1.1", t0));
        assertEquals(0, throttle.begin("u3", "10.1.1.1", t0));
        assertEquals(LoginThrottle.BUSY, throttle.begin("u4", "10.1.1.1", t0));
    }

    @Test
    void aSuccessClearsThePairAndOldFailuresAreForgotten() {
        for (int i = 0; i < 3; i++) {
            attempt("carol", null, t0, false);
        }
        throttle.succeeded("carol", null, t0);
        assertEquals(0, throttle.begin("carol", null, t0));
        throttle.succeeded("carol", null, t0);
        for (int i = 0; i < 3; i++) {
            attempt("dave", "10.2.2.2", t0, false);
        }
        assertEquals(0, throttle.begin("dave", "10.2.2.2", t0.plus(Duration.ofMinutes(16))));
    }

    @Test
    void limitsAnonymousRequestsPerAddressAndRecordsOneRefusalASecond() {
        RateLimit limit = new RateLimit(10, 20);
        for (int i = 0; i < 20; i++) {
            assertTrue(limit.take("10.3.3.3", t0).allowed(), "the burst");
        }
        RateLimit.Verdict first = limit.take("10.3.3.3", t0);
        assertFalse(first.allowed());
        assertTrue(first.record());
        for (int i = 0; i < 5; i++) {
            assertFalse(limit.take("10.3.3.3", t0.plusMillis(10)).record(), "one recorded refusal a second");
        }
        assertTrue(limit.take("10.3.3.4", t0).allowed(), "other addresses have their own bucket");
        int allowed = 0;
        RateLimit.Verdict next;
        while ((next = limit.take("10.3.3.3", t0.plusMillis(1100))).allowed()) {
            allowed++;
        }
        assertEquals(11, allowed, "tokens come back at 10 a second");
        assertTrue(
                next.record() && next.unrecorded() == 5,
                "the next recorded refusal counts those not recorded: " + next);
    }

    @Test
    void believesForwardedForOnlyFromTrustedProxies() {
        CallerAddress none = new CallerAddress(List.of());
        assertEquals("10.0.0.9", none.of("10.0.0.9", "1.2.3.4"));
        CallerAddress proxies = new CallerAddress(List.of("10.0.0.0/8", "::1"));
        assertEquals("1.2.3.4", proxies.of("10.0.0.9", "1.2.3.4"));
        assertEquals("1.2.3.4", proxies.of("10.0.0.9", "6.6.6.6, 1.2.3.4, 10.1.1.1"), "a spoofed first hop is ignored");
        assertEquals("1.2.3.4", proxies.of("0:0:0:0:0:0:0:1", "1.2.3.4"));
        assertEquals("11.0.0.9", proxies.of("11.0.0.9", "1.2.3.4"), "an untrusted peer is the caller");
        assertEquals("10.0.0.9", proxies.of("10.0.0.9", "not-an-address"));
        assertEquals(null, CallerAddress.parse("example.com"), "never a DNS lookup");
    }
}
