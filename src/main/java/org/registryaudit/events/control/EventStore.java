package org.registryaudit.events.control;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
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

    @PersistenceContext
    EntityManager em;

    @Inject
    Event<EventsStored> stored;

    public EventsStored store(List<RepositoryEventRecord> repositoryEvents, List<LoginEventRecord> loginEvents) {
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<RepositoryEventRecord> newRepositoryEvents = persistNew(repositoryEvents, RepositoryEventRecord::eventId,
                "RepositoryEvent", RepositoryEvent::new, receivedAt);
        List<LoginEventRecord> newLoginEvents = persistNew(loginEvents, LoginEventRecord::eventId,
                "LoginEvent", LoginEvent::new, receivedAt);
        EventsStored result = new EventsStored(newRepositoryEvents, newLoginEvents);
        if (!newRepositoryEvents.isEmpty() || !newLoginEvents.isEmpty()) {
            stored.fire(result);
        }
        return result;
    }

    /** Persists the records whose EventId is not stored yet; returns those. */
    private <R, E> List<R> persistNew(List<R> records, Function<R, String> id, String entity,
            BiFunction<R, Instant, E> toEntity, Instant receivedAt) {
        if (records.isEmpty()) {
            return List.of();
        }
        Map<String, R> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(id.apply(r), r));
        byId.keySet().removeAll(existing(entity, byId.keySet()));
        for (R record : byId.values()) {
            em.persist(toEntity.apply(record, receivedAt));
        }
        return List.copyOf(byId.values());
    }

    private Set<String> existing(String entity, Collection<String> ids) {
        return new HashSet<>(em.createQuery("select e.eventId from " + entity + " e where e.eventId in :ids", String.class)
                .setParameter("ids", ids)
                .getResultList());
    }
}
