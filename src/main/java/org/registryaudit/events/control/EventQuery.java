package org.registryaudit.events.control;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.platform.entity.Visibility;

/**
 * Keyset-paged reads, newest first by (TimeGenerated, Id): each page is an index range scan that
 * starts after the previous page's last row, so pages neither repeat nor skip rows while events
 * arrive, and the cost of a page does not grow with its depth.
 */
@Stateless
public class EventQuery {

    @PersistenceContext
    EntityManager em;

    public Page<RepositoryEventRecord> repositoryEvents(
            EventFilter filter, Visibility visibility, Cursor after, int limit) {
        Visibility repositories = new Visibility(visibility.repositoryPatterns(), null);
        return page(
                RepositoryEvent.class,
                "timeGenerated",
                filter.equalities(),
                repositories,
                filter.from(),
                filter.to(),
                after,
                limit,
                RepositoryEvent::getTimeGenerated,
                RepositoryEvent::getId,
                RepositoryEvent::toRecord);
    }

    public Page<LoginEventRecord> loginEvents(EventFilter filter, Visibility visibility, Cursor after, int limit) {
        Visibility logins = new Visibility(null, visibility.identity());
        return page(
                LoginEvent.class,
                "timeGenerated",
                filter.equalities(),
                logins,
                filter.from(),
                filter.to(),
                after,
                limit,
                LoginEvent::getTimeGenerated,
                LoginEvent::getId,
                LoginEvent::toRecord);
    }

    /**
     * The shared keyset query; also used for rejected messages, ordered by their arrival. The
     * visibility is an extra condition beside the caller's filters, never merged with them, so a
     * filter can only narrow what the caller may see.
     */
    public <E, R> Page<R> page(
            Class<E> entity,
            String timeAttribute,
            Map<String, Object> equal,
            Visibility visibility,
            Instant from,
            Instant to,
            Cursor after,
            int limit,
            Function<E, Instant> time,
            Function<E, Long> id,
            Function<E, R> toRecord) {
        List<String> patterns = visibility.repositoryPatterns();
        if (patterns != null && patterns.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        StringBuilder jpql = where(entity, equal, visibility);
        String t = "e." + timeAttribute;
        if (from != null) {
            jpql.append(" and ").append(t).append(" >= :from");
        }
        if (to != null) {
            jpql.append(" and ").append(t).append(" < :to");
        }
        if (after != null) {
            jpql.append(" and (")
                    .append(t)
                    .append(" < :afterTime or (")
                    .append(t)
                    .append(" = :afterTime and e.id < :afterId))");
        }
        jpql.append(" order by ").append(t).append(" desc, e.id desc");
        TypedQuery<E> query = em.createQuery(jpql.toString(), entity).setMaxResults(limit + 1);
        bind(query, equal, visibility);
        if (from != null) {
            query.setParameter("from", from);
        }
        if (to != null) {
            query.setParameter("to", to);
        }
        if (after != null) {
            query.setParameter("afterTime", after.time()).setParameter("afterId", after.id());
        }
        List<E> rows = query.getResultList();
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            E last = rows.get(limit - 1);
            next = new Cursor(time.apply(last), id.apply(last)).encode();
        }
        return new Page<>(rows.stream().map(toRecord).toList(), next);
    }

    /** One event of a live tail, and its position: the tail goes on after it. */
    public record Positioned<R>(Cursor position, R record) {}

    /**
     * The repository events that arrived after {@code after}, in the order they arrived
     * (ReceivedAt, Id), up to {@code upTo}: the tail of the table, inside the caller's visibility
     * and filters as {@link #repositoryEvents} applies them.
     */
    public List<Positioned<RepositoryEventRecord>> repositoryTail(
            EventFilter filter, Visibility visibility, Cursor after, Instant upTo, int limit) {
        return tail(
                RepositoryEvent.class,
                filter.equalities(),
                new Visibility(visibility.repositoryPatterns(), null),
                after,
                upTo,
                limit,
                e -> new Positioned<>(new Cursor(e.getReceivedAt(), e.getId()), e.toRecord()));
    }

    public List<Positioned<LoginEventRecord>> loginTail(
            EventFilter filter, Visibility visibility, Cursor after, Instant upTo, int limit) {
        return tail(
                LoginEvent.class,
                filter.equalities(),
                new Visibility(null, visibility.identity()),
                after,
                upTo,
                limit,
                e -> new Positioned<>(new Cursor(e.getReceivedAt(), e.getId()), e.toRecord()));
    }

    private <E, R> List<Positioned<R>> tail(
            Class<E> entity,
            Map<String, Object> equal,
            Visibility visibility,
            Cursor after,
            Instant upTo,
            int limit,
            Function<E, Positioned<R>> positioned) {
        List<String> patterns = visibility.repositoryPatterns();
        if (patterns != null && patterns.isEmpty()) {
            return List.of();
        }
        StringBuilder jpql = where(entity, equal, visibility)
                .append(" and (e.receivedAt > :afterTime or (e.receivedAt = :afterTime and e.id > :afterId))")
                .append(" and e.receivedAt <= :upTo order by e.receivedAt, e.id");
        TypedQuery<E> query = em.createQuery(jpql.toString(), entity).setMaxResults(limit);
        bind(query, equal, visibility);
        query.setParameter("afterTime", after.time())
                .setParameter("afterId", after.id())
                .setParameter("upTo", upTo);
        return query.getResultList().stream().map(positioned).toList();
    }

    /** The filters and the caller's visibility, as conditions; the visibility is never merged with a filter. */
    private static StringBuilder where(Class<?> entity, Map<String, Object> equal, Visibility visibility) {
        StringBuilder jpql = new StringBuilder("select e from ")
                .append(entity.getSimpleName())
                .append(" e where 1 = 1");
        equal.keySet()
                .forEach(attribute ->
                        jpql.append(" and e.").append(attribute).append(" = :").append(attribute));
        if (visibility.repositoryPatterns() != null) {
            jpql.append(" and ").append(visibility.repositoryCondition("e.repository"));
        }
        if (visibility.identity() != null) {
            jpql.append(" and e.identity = :visibleIdentity");
        }
        return jpql;
    }

    private static void bind(TypedQuery<?> query, Map<String, Object> equal, Visibility visibility) {
        equal.forEach(query::setParameter);
        visibility.bindRepositories(query);
        if (visibility.identity() != null) {
            query.setParameter("visibleIdentity", visibility.identity());
        }
    }
}
