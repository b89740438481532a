package org.registryaudit.metrics.control;

import java.util.Map;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.registryaudit.events.control.EventsStored;
import org.registryaudit.metrics.entity.MetricCount;
import org.registryaudit.metrics.entity.MetricKey;

/**
 * Counts the events a transaction stored, in that transaction: the store fires only the events that
 * were new, so a redelivery is never counted twice, and a rollback takes the counts with the rows.
 */
@Stateless
public class MetricCounter {

    @PersistenceContext
    EntityManager em;

    public void count(@Observes EventsStored stored) {
        Map<MetricKey, Long> counts = MetricTally.of(stored.repositoryEvents(), stored.loginEvents());
        counts.forEach((key, total) -> em.persist(new MetricCount(key, total)));
    }
}
