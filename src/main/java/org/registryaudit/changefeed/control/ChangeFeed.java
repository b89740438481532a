package org.registryaudit.changefeed.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.changefeed.entity.Change;
import org.registryaudit.changefeed.entity.TrustChange;

/**
 * Reads the changefeed: keyset pages on the feed position, globally or for one GUN (exact match),
 * without the changes younger than the freshness window. Positions are gap-free in commit order
 * (see {@link TrustChangeStore}) and the window cuts at a position, so paging forward with the
 * cursor never misses a change, whatever the window.
 */
@Stateless
public class ChangeFeed {

    @PersistenceContext
    EntityManager em;

    @Inject
    @ConfigProperty(name = "registry-audit.changefeed.freshness-seconds")
    long freshnessSeconds;

    @Inject
    @ConfigProperty(name = "registry-audit.changefeed.max-records")
    int maxRecords;

    public int maxRecords() {
        return maxRecords;
    }

    /** One page, oldest first. {@code gun} null: the global feed. */
    public List<Change> page(String gun, FeedRequest request) {
        long visibleUpTo = visibleUpTo();
        String where = request.backwards() ? "c.id < :cursor" : "c.id > :cursor";
        String order = request.backwards() ? "desc" : "asc";
        TypedQuery<TrustChange> query = em.createQuery("select c from TrustChange c where " + where
                + " and c.id <= :visibleUpTo" + (gun == null ? "" : " and c.gun = :gun")
                + " order by c.id " + order, TrustChange.class)
                .setParameter("cursor", request.cursor())
                .setParameter("visibleUpTo", visibleUpTo)
                .setMaxResults(request.limit());
        if (gun != null) {
            query.setParameter("gun", gun);
        }
        List<Change> page = new ArrayList<>(query.getResultList().stream().map(TrustChange::toChange).toList());
        if (request.backwards()) {
            Collections.reverse(page);
        }
        return page;
    }

    /** The last position old enough to show: hand-out times never decrease, so this cuts a prefix. */
    private long visibleUpTo() {
        if (freshnessSeconds <= 0) {
            return Long.MAX_VALUE;
        }
        List<Long> last = em.createQuery("select c.id from TrustChange c where c.feedAt <= :before "
                + "order by c.feedAt desc, c.id desc", Long.class)
                .setParameter("before", Instant.now().minusSeconds(freshnessSeconds))
                .setMaxResults(1).getResultList();
        return last.isEmpty() ? 0 : last.get(0);
    }
}
