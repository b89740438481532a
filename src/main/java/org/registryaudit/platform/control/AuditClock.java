package org.registryaudit.platform.control;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The one clock of the service: everything that reads the time (event receipt, token lifetimes,
 * throttling, retention, digest periods, the changefeed's settling) injects {@link Clock} and
 * asks it, never {@code Instant.now()}, so that a test moves time instead of sleeping (the ITs
 * deploy a movable clock as a CDI alternative). Durations of work (timeouts, query deadlines)
 * are measured with {@code System.nanoTime()}, which no clock change may bend.
 */
@ApplicationScoped
public class AuditClock {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
