package org.registryaudit.streaming.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import org.registryaudit.archive.control.ArchiveCategory;
import org.registryaudit.archive.control.RecordJson;
import org.registryaudit.events.control.EventsStored;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.ingest.control.DiagnosticSettings;
import org.registryaudit.platform.entity.AuditTable;
import org.registryaudit.platform.entity.RecordColumns;
import org.registryaudit.streaming.entity.Destination;
import org.registryaudit.streaming.entity.DestinationRequest;
import org.registryaudit.streaming.entity.OutboxEntry;
import org.registryaudit.streaming.entity.StreamRecord;

/**
 * What each destination has still to get. Entries are written in the transaction that stores the
 * events (an observer of {@link EventsStored}), so a stored event is always on its way and a
 * rolled-back one never is; they are deleted in the transaction after the destination took them,
 * so a crash in between sends them again (at least once; each carries the record's id). The
 * delivering server holds the destination's lease, taken and renewed as it reads.
 */
@Stateless
public class Outbox {

    @PersistenceContext
    EntityManager em;

    @Inject
    DiagnosticSettings settings;

    @Inject
    Clock clock;

    @Inject
    Event<Written> written;

    /** Fired after entries were written: the destinations that have new work. */
    public record Written(Set<String> destinations) {}

    /** One destination's next records, and what it is now (its settings may have changed). */
    public record Work(DestinationRequest settings, Instant retryAt, List<OutboxEntry> entries) {}

    public void stored(@Observes EventsStored stored) {
        Instant now = clock.instant();
        Map<String, List<String>> streams = new HashMap<>();
        Set<String> destinations = new LinkedHashSet<>();
        for (var event : stored.repositoryEvents()) {
            add(
                    ArchiveCategory.REPOSITORY_EVENTS,
                    event.loginServer(),
                    event.eventId(),
                    event,
                    streams,
                    destinations,
                    now);
        }
        for (LoginEventRecord event : stored.loginEvents()) {
            add(ArchiveCategory.LOGIN_EVENTS, event.loginServer(), event.eventId(), event, streams, destinations, now);
        }
        if (!destinations.isEmpty()) {
            written.fire(new Written(destinations));
        }
    }

    private void add(
            ArchiveCategory category,
            String loginServer,
            String id,
            Record event,
            Map<String, List<String>> streams,
            Set<String> destinations,
            Instant now) {
        AuditTable table = category.audit();
        List<String> to = streams.computeIfAbsent(
                loginServer + "\n" + table.name(),
                k -> settings.effective(loginServer, table).streamTo());
        if (to.isEmpty()) {
            return;
        }
        StreamRecord record = new StreamRecord(id, category.name(), RecordJson.of(category, RecordColumns.of(event)));
        for (String destination : to) {
            em.persist(new OutboxEntry(destination, record, now));
            destinations.add(destination);
        }
    }

    /** A test record for one destination, through the outbox like any other; its id is returned. */
    public String writeTest(String destination, LoginEventRecord test) {
        StreamRecord record = new StreamRecord(
                test.eventId(),
                ArchiveCategory.LOGIN_EVENTS.name(),
                RecordJson.of(ArchiveCategory.LOGIN_EVENTS, RecordColumns.of(test)));
        em.persist(new OutboxEntry(destination, record, clock.instant()));
        written.fire(new Written(Set.of(destination)));
        return test.eventId();
    }

    /**
     * Takes or renews the destination's lease for {@code holder} and reads its oldest entries;
     * null when the destination is gone or another server holds it.
     */
    public Work next(String name, String holder, Duration lease, int max) {
        Destination d = em.find(Destination.class, name, LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        if (d == null || !d.lease(holder, now, lease)) {
            return null;
        }
        int batch = Math.min(max, d.settings().batchSize());
        List<OutboxEntry> entries = em.createQuery(
                        "select e from OutboxEntry e where e.destination = :d order by e.id", OutboxEntry.class)
                .setParameter("d", name)
                .setMaxResults(batch)
                .getResultList();
        return new Work(d.settings(), d.getRetryAt(), entries);
    }

    /** The entries were taken: they go, and the destination counts them. */
    public void delivered(String name, List<Long> ids) {
        em.createQuery("delete from OutboxEntry e where e.id in :ids")
                .setParameter("ids", ids)
                .executeUpdate();
        Destination d = em.find(Destination.class, name);
        if (d != null) {
            d.delivered(ids.size(), clock.instant());
        }
    }

    public void failed(String name, String error, Instant retryAt) {
        Destination d = em.find(Destination.class, name);
        if (d != null) {
            d.failed(error, clock.instant(), retryAt);
        }
    }

    public void release(String name, String holder) {
        Destination d = em.find(Destination.class, name);
        if (d != null) {
            d.release(holder);
        }
    }

    public List<String> destinations() {
        return em.createQuery("select d.name from Destination d", String.class).getResultList();
    }
}
