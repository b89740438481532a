package org.registryaudit.streaming.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import org.registryaudit.streaming.entity.DestinationStatus;

/** What waits in the outbox: per destination for its status, in all for the service's figures. */
@Stateless
public class Backlog {

    private static final System.Logger LOG = System.getLogger(Backlog.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    public record Figures(long records, long oldestSeconds) {}

    /** Over every destination, for the figures; -1 each when the database cannot say. */
    public Figures figures() {
        try {
            DestinationStatus.Backlog all = of(null);
            return new Figures(
                    all.records(), all.oldestAgeSeconds() == null ? 0 : (long) (double) all.oldestAgeSeconds());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the stream outbox failed: {0}", e.getMessage());
            return new Figures(-1, -1);
        }
    }

    /** What waits for one destination, or for all of them ({@code destination} null). */
    public DestinationStatus.Backlog of(String destination) {
        String where = destination == null ? "" : " where e.destination = :d";
        TypedQuery<Long> count = em.createQuery("select count(e) from OutboxEntry e" + where, Long.class);
        TypedQuery<Instant> oldest =
                em.createQuery("select e.storedAt from OutboxEntry e" + where + " order by e.id", Instant.class);
        if (destination != null) {
            count.setParameter("d", destination);
            oldest.setParameter("d", destination);
        }
        long records = count.getSingleResult();
        Instant first = oldest.setMaxResults(1).getResultStream().findFirst().orElse(null);
        Double age = first == null
                ? null
                : Math.max(0, Duration.between(first, clock.instant()).toMillis()) / 1000.0;
        return new DestinationStatus.Backlog(records, first, age);
    }
}
