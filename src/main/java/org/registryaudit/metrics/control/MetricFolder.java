package org.registryaudit.metrics.control;

import java.time.Instant;
import java.util.List;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.registryaudit.metrics.entity.MetricCount;
import org.registryaudit.metrics.entity.MetricKey;
import org.registryaudit.metrics.entity.MetricName;

/**
 * Folds the count rows of a key into one, so that the table grows with keys, not with
 * transactions. A fold deletes exactly the rows it summed (those it read, up to their highest Id);
 * if it deletes any other number, another server folded the key first or a row committed in
 * between, and the whole fold rolls back, to be tried again on the next tick. Counts are never
 * lost or doubled either way.
 */
@Stateless
public class MetricFolder {

    static final int KEYS_PER_FOLD = 500;

    @PersistenceContext
    EntityManager em;

    /** Signals a fold that met a concurrent change; its transaction rolls back. */
    @ApplicationException(rollback = true)
    public static class FoldConflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FoldConflict(String message) {
            super(message);
        }
    }

    /** Folds up to {@link #KEYS_PER_FOLD} keys of minutes before {@code before}; returns how many. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int fold(Instant before) {
        List<Object[]> keys = em.createQuery(
                        "select m.loginServer, m.repository, m.metricName, m.timeGenerated,"
                                + " sum(m.total), count(m), max(m.id) from MetricCount m where m.timeGenerated < :before"
                                + " group by m.loginServer, m.repository, m.metricName, m.timeGenerated having count(m) > 1",
                        Object[].class)
                .setParameter("before", before)
                .setMaxResults(KEYS_PER_FOLD)
                .getResultList();
        for (Object[] k : keys) {
            MetricKey key =
                    new MetricKey((String) k[0], (String) k[1], MetricName.valueOf((String) k[2]), (Instant) k[3]);
            long rows = ((Number) k[5]).longValue();
            int deleted = em.createQuery("delete from MetricCount m where m.loginServer = :s and m.repository = :r"
                            + " and m.metricName = :n and m.timeGenerated = :t and m.id <= :maxId")
                    .setParameter("s", key.loginServer())
                    .setParameter("r", key.repository())
                    .setParameter("n", key.metric().name())
                    .setParameter("t", key.minute())
                    .setParameter("maxId", ((Number) k[6]).longValue())
                    .executeUpdate();
            if (deleted != rows) {
                throw new FoldConflict(key + ": read " + rows + " rows, deleted " + deleted);
            }
            em.persist(new MetricCount(key, ((Number) k[4]).longValue()));
        }
        return keys.size();
    }
}
