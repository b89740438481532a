package org.registryaudit.changefeed.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.changefeed.entity.Change;

/**
 * Reads the changefeed: keyset pages on the feed position, globally or for one GUN (exact match),
 * without the changes younger than the freshness window. Positions are gap-free in commit order
 * (see {@link TrustChangeStore}) and the window cuts at a position, so paging forward with the
 * cursor never misses a change, whatever the window.
 *
 * <p>Plain JDBC on the default datasource from a CDI bean, outside any transaction: two indexed
 * statements per page, and no JPA query preparation, entity building or EJB container around
 * them, which took a quarter of the CPU of a changefeed request (JFR, docs/benchmarks.md). Times
 * are read with getTimestamp: the server's JDBC wrappers look {@code getObject(int, Class)} up by
 * reflection on every call.
 */
@ApplicationScoped
public class ChangeFeed {

    private static final String COLUMNS = "SELECT Id, CreatedAt, GUN, Version, SHA256, Category FROM TrustChanges ";

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "registry-audit.changefeed.freshness-seconds")
    long freshnessSeconds;

    @Inject
    @ConfigProperty(name = "registry-audit.changefeed.max-records")
    int maxRecords;

    private volatile Cutoff cutoff;

    public int maxRecords() {
        return maxRecords;
    }

    /** One page, oldest first. {@code gun} null: the global feed. */
    public List<Change> page(String gun, FeedRequest request) {
        String sql = COLUMNS + "WHERE " + (request.backwards() ? "Id < ?" : "Id > ?") + " AND Id <= ?"
                + (gun == null ? "" : " AND GUN = ?") + " ORDER BY Id " + (request.backwards() ? "DESC" : "ASC")
                + " FETCH FIRST " + request.limit() + " ROWS ONLY";
        try (Connection connection = dataSource.getConnection()) {
            long visibleUpTo = visibleUpTo(connection);
            List<Change> page = new ArrayList<>(Math.min(request.limit(), 1000));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, request.cursor());
                statement.setLong(2, visibleUpTo);
                if (gun != null) {
                    statement.setString(3, gun);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String sha256 = rows.getString(5);
                        page.add(new Change(
                                String.valueOf(rows.getLong(1)),
                                rows.getTimestamp(2).toInstant(),
                                rows.getString(3),
                                rows.getInt(4),
                                sha256 == null ? "" : sha256,
                                rows.getString(6)));
                    }
                }
            }
            if (request.backwards()) {
                Collections.reverse(page);
            }
            return page;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the changefeed: " + e.getMessage(), e);
        }
    }

    /**
     * The last position old enough to show: hand-out times never decrease, so this cuts a prefix.
     * Kept for a twentieth of the window (at most a second): a cut-off computed a moment ago is at
     * most that much more cautious, it never shows a change too early, and a reader paging with the
     * cursor still misses nothing. It saves a statement on most requests.
     */
    private long visibleUpTo(Connection connection) throws SQLException {
        if (freshnessSeconds <= 0) {
            return Long.MAX_VALUE;
        }
        Cutoff last = cutoff;
        long now = System.nanoTime();
        if (last != null && now - last.computedAt() < Math.min(1_000_000_000L, freshnessSeconds * 50_000_000L)) {
            return last.position();
        }
        long position = readVisibleUpTo(connection);
        cutoff = new Cutoff(now, position);
        return position;
    }

    private record Cutoff(long computedAt, long position) {}

    private long readVisibleUpTo(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT Id FROM TrustChanges "
                + "WHERE FeedAt <= ? ORDER BY FeedAt DESC, Id DESC FETCH FIRST 1 ROWS ONLY")) {
            statement.setObject(1, OffsetDateTime.now(clock).minusSeconds(freshnessSeconds));
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }
}
