package org.registryaudit.auth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final Instant t0 = Instant.parse("2026-11-21T12:00:00Z");
    final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Limits(3, 6), new LoginThrottle.Limits(5, 8),
            Duration.ofMinutes(15));

    @Test
    void slowsDownThenLocksOutAnAccount() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, throttle.waitSeconds("bob", "10.0.0.1", t0));
            throttle.failed("bob", "10.0.0.1", t0);
        }
        assertEquals(1, throttle.waitSeconds("bob", "10.0.0.2", t0), "the fourth attempt waits 1 s");
        assertEquals(0, throttle.waitSeconds("bob", "10.0.0.2", t0.plusSeconds(1)));
        throttle.failed("bob", "10.0.0.2", t0.plusSeconds(1));
        assertEquals(2, throttle.waitSeconds("bob", "10.0.0.3", t0.plusSeconds(1)), "then 2 s");
        throttle.failed("bob", "10.0.0.3", t0.plusSeconds(3));
        throttle.failed("bob", "10.0.0.3", t0.plusSeconds(7));
        assertEquals(900, throttle.waitSeconds("bob", "10.0.0.4", t0.plusSeconds(7)), "six failures lock out");
        assertEquals(0, throttle.waitSeconds("alice", "10.0.0.4", t0.plusSeconds(7)), "other accounts are not");
        assertEquals(0, throttle.waitSeconds("bob", "10.0.0.4", t0.plusSeconds(7 + 900)), "the lockout ends");
    }

    @Test
    void countsFailuresPerAddressAcrossAccounts() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.9.9.9", t0);
        }
        assertEquals(1, throttle.waitSeconds("fresh", "10.9.9.9", t0));
        assertEquals(0, throttle.waitSeconds("fresh", "10.9.9.8", t0));
        for (int i = 0; i < 3; i++) {
            throttle.failed("more" + i, "10.9.9.9", t0);
        }
        assertEquals(900, throttle.waitSeconds("fresh", "10.9.9.9", t0));
    }

    @Test
    void aSuccessClearsTheAccountAndOldFailuresAreForgotten() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("carol", null, t0);
        }
        throttle.succeeded("carol");
        assertEquals(0, throttle.waitSeconds("carol", null, t0));
        for (int i = 0; i < 3; i++) {
            throttle.failed("dave", null, t0);
        }
        assertEquals(0, throttle.waitSeconds("dave", null, t0.plus(Duration.ofMinutes(16))));
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
