package org.registryaudit.streaming.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.registryaudit.streaming.entity.DestinationStatus;

/** The small rules of delivery: syslog addresses, the secret's key, error texts, lag percentiles. */
class DeliveryRulesTest {

    @Test
    void syslogAddressesAreHostAndPort() {
        assertEquals(
                new SyslogSender.HostPort("siem.example.com", 6514),
                SyslogSender.HostPort.parse("siem.example.com:6514"));
        assertEquals(new SyslogSender.HostPort("::1", 514), SyslogSender.HostPort.parse("[::1]:514"));
        Map<String, String> bad = Map.of(
                "siem.example.com", "host:port",
                ":6514", "host:port",
                "siem:", "host:port",
                "siem:0", "1 to 65535",
                "siem:70000", "1 to 65535",
                "siem:ssl", "1 to 65535");
        bad.forEach((address, reason) -> {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SyslogSender.HostPort.parse(address));
            assertTrue(e.getMessage().contains(reason), address + ": " + e.getMessage());
        });
    }

    @Test
    void theSecretOfADestinationIsAConfigurationKeyAndAVariable() {
        assertEquals("registry-audit.stream.siem-hook.secret", WebhookSecrets.key("siem-hook"));
        assertEquals("REGISTRY_AUDIT_STREAM_SIEM_HOOK_SECRET", WebhookSecrets.variable("siem-hook"));
    }

    @Test
    void errorsAreNamedByTheirTypeAndMessage() {
        assertEquals(
                "ConnectException: Connection refused", Delivery.describe(new ConnectException("Connection refused")));
        assertEquals("IllegalStateException", Delivery.describe(new IllegalStateException()));
    }

    @Test
    void lagPercentilesAreOverTheLastRecords() {
        Delivery.LagWindow window = new Delivery.LagWindow(100);
        DestinationStatus.Lag none = window.figures();
        assertEquals(0, none.measured());
        assertNull(none.p99Millis());
        for (int i = 1; i <= 250; i++) {
            window.add(i); // only the last 100 (151 to 250) count
        }
        DestinationStatus.Lag lag = window.figures();
        assertEquals(100, lag.measured());
        assertEquals(200, lag.p50Millis());
        assertEquals(249, lag.p99Millis());
        assertEquals(250, lag.maxMillis());
        Delivery.LagWindow stepped = new Delivery.LagWindow(3);
        stepped.add(-5); // a clock that stepped back counts as no wait, not a negative one
        assertEquals(0, stepped.figures().maxMillis());
    }
}
