package org.registryaudit.streaming.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The whole outbox at a glance, for the service's figures: -1 each while the database cannot say. */
@Stateless
public class Backlog {

    private static final System.Logger LOG = System.getLogger(Backlog.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    public record Figures(long records, long oldestSeconds) {}

    public Figures figures() {
        try {
            long records = em.createQuery("select count(e) from OutboxEntry e", Long.class)
                    .getSingleResult();
            Instant oldest = em.createQuery("select e.storedAt from OutboxEntry e order by e.id", Instant.class)
                    .setMaxResults(1)
                    .getResultStream()
                    .findFirst()
                    .orElse(null);
            return new Figures(
                    records,
                    oldest == null
                            ? 0
                            : Math.max(
                                    0, Duration.between(oldest, clock.instant()).toSeconds()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the stream outbox failed: {0}", e.getMessage());
            return new Figures(-1, -1);
        }
    }
}
