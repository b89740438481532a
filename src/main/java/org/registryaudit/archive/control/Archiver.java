package org.registryaudit.archive.control;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.ingest.control.DiagnosticSettings;
import org.registryaudit.ingest.entity.SettingRecord;
import org.registryaudit.platform.entity.Columns;

/**
 * Moves records past their retention from the database into the archive, one file per login
 * server, category and event hour (more parts when an hour holds more than the records per file,
 * or when late records arrive for an hour already archived).
 *
 * <p>Exactly once, whatever the moment of a crash: a file is written to a temporary name, forced
 * to disk and renamed into place; then one database transaction records it in ArchivedFiles and
 * deletes exactly the rows it holds (by id, so a late row of the same hour stays for the next
 * part). Killed before that commit, the rows are still in the database and the file is not
 * recorded: the next run writes the same part again over it. Killed after, the rows are gone and
 * the file is final. Memory stays flat: rows are read in keyset pages and streamed to the file.
 * Only the lease holder runs it (see ArchiveTimer), and its workers commit one at a time, so ids of
 * ArchivedFiles need no sequence.
 */
@ApplicationScoped
public class Archiver {

    private static final System.Logger LOG = System.getLogger(Archiver.class.getName());
    private static final int PAGE = 5_000;
    private static final int DELETE_BATCH = 500;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Resource
    UserTransaction transaction;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DiagnosticSettings settings;

    @Inject
    ArchiveProgress progress;

    @Inject
    ArchiveDirectory directory;

    @Inject
    @ConfigProperty(name = "registry-audit.archive.gzip")
    boolean gzip;

    @Inject
    @ConfigProperty(name = "registry-audit.archive.records-per-file")
    int recordsPerFile;

    @Inject
    @ConfigProperty(name = "registry-audit.archive.workers")
    int workers;

    private final ReentrantLock commits = new ReentrantLock();

    /** Keeps the archive lease; throws when another server has taken it. */
    public interface Lease {
        void renew() throws Exception;
    }

    /**
     * Archives everything past its retention, category by category, login server by login server,
     * renewing the lease before each file is put in place, so that a run longer than the lease
     * never overlaps another server's.
     */
    public void archiveAll(Instant now, Lease lease) throws Exception {
        for (ArchiveCategory category : ArchiveCategory.ALL) {
            for (String server : servers(category, now.minus(Duration.ofDays(1)))) {
                SettingRecord setting = settings.effective(server, category.audit());
                if (!setting.archive()) {
                    continue;
                }
                Instant cutoff = ArchiveLayout.hourOf(now.minus(Duration.ofDays(setting.retentionDays())));
                progress.left(count(category, server, cutoff));
                archiveHours(category, server, cutoff, lease);
                Instant hour;
                while ((hour = oldestHour(category, server, Instant.EPOCH, cutoff)) != null) {
                    archiveHour(category, server, hour, lease); // rows that arrived late for an hour done
                }
            }
        }
    }

    /**
     * Archives the hours before the cutoff, oldest first, on {@code workers} threads at once (this
     * one and the others), each taking the next hour not yet handed out: reading, formatting and
     * compressing one file keeps less than one core busy, and hours are independent files.
     */
    private void archiveHours(ArchiveCategory category, String server, Instant cutoff, Lease lease) throws Exception {
        Instant[] handedOut = {Instant.EPOCH};
        AtomicReference<Exception> failure = new AtomicReference<>();
        Runnable work = () -> {
            try {
                while (failure.get() == null) {
                    Instant hour;
                    synchronized (handedOut) {
                        hour = oldestHour(category, server, handedOut[0], cutoff);
                        if (hour == null) {
                            return;
                        }
                        handedOut[0] = hour.plus(Duration.ofHours(1));
                    }
                    archiveHour(category, server, hour, lease);
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        };
        List<Thread> others = new ArrayList<>();
        for (int i = 1; i < workers; i++) {
            Thread worker = threads.newThread(work);
            worker.start();
            others.add(worker);
        }
        work.run();
        for (Thread worker : others) {
            worker.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private void archiveHour(ArchiveCategory category, String server, Instant hour, Lease lease) throws Exception {
        progress.bucket(category.name() + " / " + server + " / " + hour);
        while (archivePart(category, server, hour, lease)) {
            // parts until the hour is empty
        }
    }

    private List<String> servers(ArchiveCategory category, Instant before) throws SQLException {
        List<String> servers = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT DISTINCT " + category.server() + " FROM "
                        + category.table() + " WHERE " + category.time() + " < ? AND RestoreId IS NULL")) {
            s.setObject(1, utc(before));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    servers.add(rows.getString(1));
                }
            }
        }
        return servers;
    }

    /** The hour of the oldest record in [from, cutoff), or null. */
    private Instant oldestHour(ArchiveCategory category, String server, Instant from, Instant cutoff)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + category.time() + " FROM " + category.table()
                        + " WHERE " + category.server() + " = ? AND "
                        + category.time() + " >= ? AND " + category.time() + " < ? AND RestoreId IS NULL ORDER BY "
                        + category.time() + " FETCH FIRST 1 ROWS ONLY")) {
            s.setString(1, server);
            s.setObject(2, utc(from));
            s.setObject(3, utc(cutoff));
            try (ResultSet rows = s.executeQuery()) {
                return rows.next()
                        ? ArchiveLayout.hourOf(
                                rows.getObject(1, OffsetDateTime.class).toInstant())
                        : null;
            }
        }
    }

    private long count(ArchiveCategory category, String server, Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + category.table() + " WHERE "
                        + category.server() + " = ? AND " + category.time() + " < ? AND RestoreId IS NULL")) {
            s.setString(1, server);
            s.setObject(2, utc(cutoff));
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Writes and commits the next part of one hour; false when the hour has nothing left. */
    boolean archivePart(ArchiveCategory category, String server, Instant hour, Lease lease) throws Exception {
        int part = parts(category, server, hour);
        String relative = ArchiveLayout.dataFile(category, server, hour, part, gzip);
        Path file = directory.root().resolve(relative);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        long[] ids = new long[recordsPerFile];
        int n = 0;
        Instant oldest = null;
        Instant newest = null;
        ArchiveFileStream content = new ArchiveFileStream(temp, gzip, threads);
        try (content;
                Connection c = dataSource.getConnection()) {
            RecordFormat format = null;
            OffsetDateTime afterTime = null;
            long afterId = 0;
            while (n < recordsPerFile) {
                int limit = Math.min(PAGE, recordsPerFile - n);
                try (PreparedStatement s = c.prepareStatement(category.keysetPage(
                        String.join(", ", category.columns()),
                        category.server() + " = ? AND " + category.time() + " >= ? AND " + category.time()
                                + " < ? AND RestoreId IS NULL",
                        afterTime != null,
                        limit))) {
                    s.setString(1, server);
                    s.setObject(2, utc(hour));
                    s.setObject(3, utc(hour.plus(Duration.ofHours(1))));
                    if (afterTime != null) {
                        s.setObject(4, afterTime);
                        s.setObject(5, afterTime);
                        s.setLong(6, afterId);
                    }
                    int read = 0;
                    try (ResultSet rows = s.executeQuery()) {
                        if (format == null) {
                            format = new RecordFormat(category, rows.getMetaData());
                        }
                        while (rows.next()) {
                            read++;
                            afterTime = format.time(rows);
                            afterId = rows.getLong(1);
                            format.write(content, server, rows, afterTime);
                            ids[n++] = afterId;
                            newest = afterTime.toInstant(); // rows come in time order
                            oldest = oldest == null ? newest : oldest;
                        }
                    }
                    if (read < limit) {
                        break;
                    }
                }
            }
        }
        if (n == 0) {
            return false; // no file was created
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        lease.renew();
        if (recorded(relative)) { // a final file is never replaced, whatever went wrong before
            Files.deleteIfExists(temp);
            throw new IllegalStateException("archive file " + relative + " is recorded already; it is not overwritten");
        }
        // replaces only a file that a run killed before its commit left unrecorded
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        commit(category, server, hour, part, relative, ids, n, content.bytes(), content.sha256(), oldest, newest);
        progress.file(n);
        LOG.log(
                System.Logger.Level.INFO,
                "Archived {0} {1} records of {2} ({3}) to {4}",
                n,
                category.name(),
                Columns.oneLine(server),
                hour,
                relative);
        return true;
    }

    /** One commit at a time: the file's id is MAX + 1 of the ids committed before it. */
    private void commit(
            ArchiveCategory category,
            String server,
            Instant hour,
            int part,
            String relative,
            long[] ids,
            int n,
            long bytes,
            String sha256,
            Instant oldest,
            Instant newest)
            throws Exception {
        commits.lock();
        try {
            Transactions.inside(transaction, () -> {
                try (Connection c = dataSource.getConnection()) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO ArchivedFiles (Id, Path, Category, "
                            + "LoginServer, EventHour, Part, Records, Bytes, Sha256, OldestTime, NewestTime, DeliveredAt) "
                            + "SELECT COALESCE(MAX(Id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM ArchivedFiles")) {
                        s.setString(1, relative);
                        s.setString(2, category.name());
                        s.setString(3, server);
                        s.setObject(4, utc(hour));
                        s.setInt(5, part);
                        s.setLong(6, n);
                        s.setLong(7, bytes);
                        s.setString(8, sha256);
                        s.setObject(9, utc(oldest));
                        s.setObject(10, utc(newest));
                        s.setObject(11, utc(clock.instant()));
                        s.executeUpdate();
                    }
                    int deleted = 0;
                    for (int from = 0; from < n; from += DELETE_BATCH) {
                        int size = Math.min(DELETE_BATCH, n - from);
                        try (PreparedStatement s = c.prepareStatement(
                                "DELETE FROM " + category.table() + " WHERE Id IN (" + "?,".repeat(size - 1) + "?)")) {
                            for (int i = 0; i < size; i++) {
                                s.setLong(i + 1, ids[from + i]);
                            }
                            deleted += s.executeUpdate();
                        }
                    }
                    if (deleted != n) {
                        throw new IllegalStateException(
                                "deleted " + deleted + " rows for " + relative + ", which holds " + n
                                        + "; another archive run must have taken them; nothing is committed");
                    }
                    return null;
                }
            });
        } finally {
            commits.unlock();
        }
    }

    private int parts(ArchiveCategory category, String server, Instant hour) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT COUNT(*) FROM ArchivedFiles WHERE Category = ? AND LoginServer = ? AND EventHour = ?")) {
            s.setString(1, category.name());
            s.setString(2, server);
            s.setObject(3, utc(hour));
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private boolean recorded(String relative) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM ArchivedFiles WHERE Path = ?")) {
            s.setString(1, relative);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    static OffsetDateTime utc(Instant time) {
        return time.atOffset(ZoneOffset.UTC);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
