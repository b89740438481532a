package org.registryaudit.events.control;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.events.entity.RepositoryEventRecord;

/**
 * Stores events idempotently: an event whose EventId is already stored (a redelivery, a
 * registry's retry) is skipped. Two deliveries of one id racing in parallel both pass the check;
 * the unique constraint then fails one transaction, and its redelivery finds the row and skips it.
 */
@Stateless
public class EventStore {

    @Inject
    Clock clock;

    @PersistenceContext
    EntityManager em;

    @Inject
    Event<EventsStored> stored;

    /** How one event table's records become rows, and how a stored row is told from a redelivery. */
    private record Table<R, E>(
            Class<E> entity,
            Function<R, String> id,
            Function<E, String> storedId,
            BiFunction<R, Instant, E> toEntity,
            Function<E, R> toRecord,
            BiPredicate<E, R> sameContent) {}

    private static final Table<RepositoryEventRecord, RepositoryEvent> REPOSITORY_EVENTS = new Table<>(
            RepositoryEvent.class,
            RepositoryEventRecord::eventId,
            RepositoryEvent::getEventId,
            RepositoryEvent::new,
            RepositoryEvent::toRecord,
            RepositoryEvent::sameContent);
    private static final Table<LoginEventRecord, LoginEvent> LOGIN_EVENTS = new Table<>(
            LoginEvent.class,
            LoginEventRecord::eventId,
            LoginEvent::getEventId,
            LoginEvent::new,
            LoginEvent::toRecord,
            LoginEvent::sameContent);

    public EventsStored store(List<RepositoryEventRecord> repositoryEvents, List<LoginEventRecord> loginEvents) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> conflicts = new ArrayList<>();
        List<RepositoryEventRecord> newRepositoryEvents =
                persistNew(repositoryEvents, REPOSITORY_EVENTS, receivedAt, conflicts);
        List<LoginEventRecord> newLoginEvents = persistNew(loginEvents, LOGIN_EVENTS, receivedAt, conflicts);
        EventsStored result = new EventsStored(newRepositoryEvents, newLoginEvents, List.copyOf(conflicts));
        if (!newRepositoryEvents.isEmpty() || !newLoginEvents.isEmpty()) {
            stored.fire(result);
        }
        return result;
    }

    /**
     * Persists the records whose EventId is not stored yet and returns those as stored (with their
     * time of receipt, and fitted to the columns). The rows already
     * stored (usually none) are read whole, and each that says something else than the record that
     * arrived again adds its EventId to {@code conflicts}.
     */
    private <R, E> List<R> persistNew(List<R> records, Table<R, E> table, Instant receivedAt, List<String> conflicts) {
        if (records.isEmpty()) {
            return List.of();
        }
        Map<String, R> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(table.id().apply(r), r));
        List<E> existing = em.createQuery(
                        "select e from " + table.entity().getSimpleName() + " e where e.eventId in :ids",
                        table.entity())
                .setParameter("ids", byId.keySet())
                .getResultList();
        for (E row : existing) {
            R again = byId.remove(table.storedId().apply(row));
            if (again != null && !table.sameContent().test(row, again)) {
                conflicts.add(table.id().apply(again));
            }
        }
        List<R> stored = new ArrayList<>(byId.size());
        for (R record : byId.values()) {
            E row = table.toEntity().apply(record, receivedAt);
            em.persist(row);
            stored.add(table.toRecord().apply(row));
        }
        return stored;
    }
}
