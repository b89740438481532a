package org.registryaudit.events.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.registryaudit.events.entity.RepositoryEventRecord;

/**
 * Inserts repository events with one JDBC batch, the ingest hot path. Through JPA each row cost
 * EclipseLink a field-by-field search of its row buffer, about 40% of the service's CPU under load
 * (JFR, docs/benchmarks.md); reads still go through the {@code RepositoryEvent} entity.
 *
 * <p>Ids come from the entity's sequence the way EclipseLink takes them: the sequence advances by
 * the allocation size (1000), and a value {@code v} reserves the ids {@code v-999 … v} for whoever
 * fetched it. Blocks are kept per JVM, so most batches need no sequence call at all.
 */
final class RepositoryEventRows {

    static final int BLOCK = 1000;
    private static long nextId;
    private static long lastId = -1;

    static final String INSERT = "INSERT INTO ContainerRegistryRepositoryEvents (Id, EventId, TimeGenerated, ReceivedAt, "
            + "LoginServer, OperationName, Repository, Tag, Digest, MediaType, ArtifactType, Size, FromRepository, "
            + "Identity, ResultType, ResultDescription, CallerIpAddress, UserAgent, HttpMethod, DurationMs, "
            + "CorrelationId, Region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private RepositoryEventRows() {
    }

    static void insert(Connection connection, List<RepositoryEventRecord> records, Instant receivedAt)
            throws SQLException {
        long[] ids = ids(connection, records.size());
        int row = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            OffsetDateTime received = OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC);
            for (RepositoryEventRecord r : records) {
                int i = 1;
                insert.setLong(i++, ids[row++]);
                insert.setString(i++, r.eventId());
                insert.setObject(i++, OffsetDateTime.ofInstant(r.timeGenerated(), ZoneOffset.UTC));
                insert.setObject(i++, received);
                insert.setString(i++, r.loginServer());
                insert.setString(i++, r.operationName());
                insert.setString(i++, r.repository());
                insert.setString(i++, r.tag());
                insert.setString(i++, r.digest());
                insert.setString(i++, r.mediaType());
                insert.setString(i++, r.artifactType());
                setLong(insert, i++, r.size());
                insert.setString(i++, r.fromRepository());
                insert.setString(i++, r.identity());
                insert.setString(i++, r.resultType());
                insert.setString(i++, r.resultDescription());
                insert.setString(i++, r.callerIpAddress());
                insert.setString(i++, r.userAgent());
                insert.setString(i++, r.httpMethod());
                setLong(insert, i++, r.durationMs());
                insert.setString(i++, r.correlationId());
                insert.setString(i, r.region());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static synchronized long[] ids(Connection connection, int count) throws SQLException {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            if (nextId > lastId) {
                lastId = nextBlockEnd(connection);
                nextId = lastId - BLOCK + 1;
            }
            ids[i] = nextId++;
        }
        return ids;
    }

    private static long nextBlockEnd(Connection connection) throws SQLException {
        String sql = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                .contains("postgres") ? "SELECT nextval('RepositoryEventSeq')" : "SELECT NEXT VALUE FOR RepositoryEventSeq";
        try (PreparedStatement next = connection.prepareStatement(sql); ResultSet result = next.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
