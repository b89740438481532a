package org.registryaudit.ingest.boundary;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.registryaudit.events.control.EventsStored;

/**
 * Test only: a stand-in for a database outage. The first time an event of repository
 * {@code it/fail-once} is stored it throws, inside the storing transaction, so the transaction rolls
 * back and the broker must redeliver.
 */
@ApplicationScoped
public class FailOnce {

    public static final String REPOSITORY = "it/fail-once";
    public static final AtomicInteger ATTEMPTS = new AtomicInteger();

    void onStored(@Observes EventsStored stored) {
        boolean ours = stored.repositoryEvents().stream().anyMatch(e -> REPOSITORY.equals(e.repository()));
        if (ours && ATTEMPTS.getAndIncrement() == 0) {
            throw new IllegalStateException("simulated outage on the first attempt");
        }
    }
}
