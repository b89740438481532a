package org.registryaudit.events.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.LoginEventRecord;
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

    /** The same datasource as the persistence unit's; within the transaction, the same connection. */
    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Inject
    Event<EventsStored> stored;

    public EventsStored store(List<RepositoryEventRecord> repositoryEvents, List<LoginEventRecord> loginEvents) {
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<RepositoryEventRecord> newRepositoryEvents = notYetStored(repositoryEvents,
                RepositoryEventRecord::eventId, "RepositoryEvent");
        if (!newRepositoryEvents.isEmpty()) {
            try (Connection connection = dataSource.getConnection()) {
                RepositoryEventRows.insert(connection, newRepositoryEvents, receivedAt);
            } catch (SQLException e) {
                throw new PersistenceException("Cannot insert " + newRepositoryEvents.size() + " repository events", e);
            }
        }
        List<LoginEventRecord> newLoginEvents = notYetStored(loginEvents, LoginEventRecord::eventId, "LoginEvent");
        newLoginEvents.forEach(r -> em.persist(new LoginEvent(r, receivedAt)));
        EventsStored result = new EventsStored(newRepositoryEvents, newLoginEvents, receivedAt);
        if (!newRepositoryEvents.isEmpty() || !newLoginEvents.isEmpty()) {
            stored.fire(result);
        }
        return result;
    }

    /** The records whose EventId is not in the table yet, each id once. */
    private <R> List<R> notYetStored(List<R> records, Function<R, String> id, String entity) {
        if (records.isEmpty()) {
            return List.of();
        }
        Map<String, R> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(id.apply(r), r));
        byId.keySet().removeAll(existing(entity, byId.keySet()));
        return new ArrayList<>(byId.values());
    }

    private Set<String> existing(String entity, Collection<String> ids) {
        return new HashSet<>(em.createQuery("select e.eventId from " + entity + " e where e.eventId in :ids", String.class)
                .setParameter("ids", ids)
                .getResultList());
    }
}
