package org.registryaudit.metrics.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import org.registryaudit.metrics.entity.MetricName;
import org.registryaudit.metrics.entity.MetricRow;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * Reads the counts as AzureMetrics rows: summed per minute by the database, rolled up to the
 * requested grain here. Without a repository the rows are per login server (the sum over its
 * repositories); with {@code perRepository} each repository gets its own rows. A caller limited to
 * some repositories sees only their counts, and never the login counts, which are of everyone.
 */
@Stateless
public class MetricQuery {

    /** Minute rows read for one answer; a wider request gets a 400 that says how to narrow it. */
    public static final int MAX_MINUTE_ROWS = 200_000;

    @PersistenceContext
    EntityManager em;

    public record Filter(
            String loginServer,
            String repository,
            boolean perRepository,
            List<MetricName> metrics,
            TimeGrain grain,
            Instant from,
            Instant to) {}

    public List<MetricRow> rows(Filter filter, Visibility visibility) {
        List<String> patterns = visibility.repositoryPatterns();
        boolean byRepository = filter.perRepository() || filter.repository() != null;
        StringBuilder jpql = new StringBuilder("select m.loginServer, ")
                .append(byRepository ? "m.repository, " : "")
                .append("m.metricName, m.timeGenerated, sum(m.total) from MetricCount m")
                .append(" where m.timeGenerated >= :from and m.timeGenerated < :to");
        if (filter.loginServer() != null) {
            jpql.append(" and m.loginServer = :loginServer");
        }
        if (filter.repository() != null) {
            jpql.append(" and m.repository = :repository");
        }
        if (!filter.metrics().isEmpty()) {
            jpql.append(" and m.metricName in :metrics");
        }
        if (patterns != null) {
            if (patterns.isEmpty()) {
                return List.of();
            }
            jpql.append(" and m.repository <> '' and ").append(visibility.repositoryCondition("m.repository"));
        }
        jpql.append(" group by m.loginServer, ")
                .append(byRepository ? "m.repository, " : "")
                .append("m.metricName, m.timeGenerated");
        TypedQuery<Object[]> query = em.createQuery(jpql.toString(), Object[].class)
                .setParameter("from", filter.from())
                .setParameter("to", filter.to())
                .setMaxResults(MAX_MINUTE_ROWS + 1);
        if (filter.loginServer() != null) {
            query.setParameter("loginServer", filter.loginServer());
        }
        if (filter.repository() != null) {
            query.setParameter("repository", filter.repository());
        }
        if (!filter.metrics().isEmpty()) {
            query.setParameter(
                    "metrics", filter.metrics().stream().map(Enum::name).toList());
        }
        visibility.bindRepositories(query);
        List<Object[]> minutes = query.getResultList();
        if (minutes.size() > MAX_MINUTE_ROWS) {
            throw new InvalidRequestException(
                    "the range holds more than " + MAX_MINUTE_ROWS
                            + " minute counts; narrow it (from, to), name a loginServer or repository, or leave out perRepository");
        }
        return rollUp(minutes, byRepository, filter.grain());
    }

    /** Minute rows are (login server, [repository,] metric, minute, total). */
    static List<MetricRow> rollUp(List<Object[]> minutes, boolean byRepository, TimeGrain grain) {
        int r = byRepository ? 1 : 0;
        record Bucket(Instant time, String loginServer, String repository, String metric) {}
        Map<Bucket, Long> totals = new TreeMap<>(Comparator.comparing(Bucket::time)
                .thenComparing(Bucket::loginServer)
                .thenComparing(Bucket::repository)
                .thenComparing(Bucket::metric));
        for (Object[] m : minutes) {
            totals.merge(
                    new Bucket(grain.start((Instant) m[2 + r]), (String) m[0], r == 1 ? (String) m[1] : "", (String)
                            m[1 + r]),
                    ((Number) m[3 + r]).longValue(),
                    Long::sum);
        }
        List<MetricRow> rows = new ArrayList<>(totals.size());
        totals.forEach((b, total) -> rows.add(MetricRow.of(
                b.time(),
                b.loginServer(),
                b.repository().isEmpty() ? null : b.repository(),
                b.metric(),
                grain.name(),
                total)));
        return rows;
    }
}
