package org.registryaudit.archive.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

/** The database's record of the archive: the digests written and the files no digest covers yet. */
@ApplicationScoped
public class ArchiveLedger {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    public List<String> digestPaths() {
        return strings("SELECT Path FROM ArchiveDigests ORDER BY DigestHour");
    }

    /** Files delivered at or after the end of the last digest: the next digest lists them. */
    public List<String> pendingPaths(Duration period) {
        OffsetDateTime lastDigest = null;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT MAX(DigestHour) FROM ArchiveDigests");
                ResultSet row = s.executeQuery()) {
            if (row.next()) {
                lastDigest = row.getObject(1, OffsetDateTime.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the archive ledger: " + e.getMessage(), e);
        }
        return strings(
                "SELECT Path FROM ArchivedFiles WHERE DeliveredAt >= ? ORDER BY Id",
                lastDigest == null ? Archiver.utc(Instant.EPOCH) : lastDigest.plus(period));
    }

    private List<String> strings(String sql, Object... parameters) {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the archive ledger: " + e.getMessage(), e);
        }
        return values;
    }
}
