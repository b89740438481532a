package org.registryaudit.changefeed.control;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import org.registryaudit.changefeed.entity.FeedPosition;
import org.registryaudit.changefeed.entity.Follower;
import org.registryaudit.changefeed.entity.FollowerStatus;
import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.changefeed.entity.TrustChangeRecord;

/**
 * Stores trust changes exactly once and gives each its feed position. The writer first locks the
 * feed's position row and keeps the lock until it commits, so writers take turns: positions
 * commit in increasing order (no reader ever sees a gap that fills later), and the duplicate check
 * made under the lock cannot race with another writer of the same EventId.
 */
@Stateless
public class TrustChangeStore {

    @Inject
    Clock clock;

    @PersistenceContext
    EntityManager em;

    /** Stores the changes whose EventId is new; returns those. Joins the caller's transaction. */
    public List<TrustChange> store(List<TrustChangeRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        Map<String, TrustChangeRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(r.eventId(), r));
        FeedPosition position = em.find(FeedPosition.class, FeedPosition.CHANGEFEED, LockModeType.PESSIMISTIC_WRITE);
        byId.keySet().removeAll(existing(byId.keySet()));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<TrustChange> created = new ArrayList<>(byId.size());
        for (TrustChangeRecord record : byId.values()) {
            long id = position.next(now);
            TrustChange change = new TrustChange(record, id, position.getLastAt(), now);
            em.persist(change);
            created.add(change);
        }
        return created;
    }

    private Set<String> existing(Set<String> eventIds) {
        return new HashSet<>(em.createQuery("select c.eventId from TrustChange c where c.eventId in :ids", String.class)
                .setParameter("ids", eventIds)
                .getResultList());
    }

    /** Where following a Notary server stands: its last stored change ID, "0" before the first. */
    public String cursor(String follower) {
        Follower f = em.find(Follower.class, follower);
        return f == null ? "0" : f.getCursor();
    }

    /**
     * Stores one page read from a followed server and moves its cursor, in one transaction, but
     * only if the cursor is still where the page was read from: a second server following the
     * same Notary (several servers sharing the database) then stores nothing twice.
     *
     * @return false if another server moved the cursor meanwhile (nothing stored)
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean storeFollowed(
            String follower,
            String url,
            String readFrom,
            List<TrustChangeRecord> page,
            String newCursor,
            boolean caughtUp) {
        Follower f = lockedFollower(follower, url);
        if (!f.getCursor().equals(readFrom)) {
            return false;
        }
        List<TrustChange> stored = store(page);
        f.advanced(
                newCursor,
                stored.size(),
                page.isEmpty() ? null : page.get(page.size() - 1).createdAt(),
                caughtUp,
                clock.instant());
        return true;
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void followFailed(String follower, String url, String error) {
        lockedFollower(follower, url).failed(error, clock.instant());
    }

    public List<FollowerStatus> followers() {
        Instant now = clock.instant();
        return em.createQuery("select f from Follower f order by f.name", Follower.class).getResultList().stream()
                .map(f -> f.status(now))
                .toList();
    }

    private Follower lockedFollower(String name, String url) {
        Follower f = em.find(Follower.class, name, LockModeType.PESSIMISTIC_WRITE);
        if (f == null) {
            f = new Follower(name, url);
            em.persist(f);
        } else if (!f.getUrl().equals(url)) {
            f.setUrl(url);
        }
        return f;
    }
}
