package org.registryaudit.archive.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.registryaudit.platform.control.DataDirectory;

/**
 * One archive run: archive what is past its retention, then write the digests that are due. Only
 * the holder of the archive lease runs, so that one server of several sharing the database does;
 * the holder is named after the host and data directory, so a server restarted after a crash takes
 * its own lease back at once, and another server takes it over when it has run out.
 */
@ApplicationScoped
public class ArchiveRun {

    private static final System.Logger LOG = System.getLogger(ArchiveRun.class.getName());
    static final Duration LEASE = Duration.ofMinutes(10);

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Inject
    Archiver archiver;

    @Inject
    DigestSigner digests;

    @Inject
    ArchiveProgress progress;

    private final AtomicBoolean running = new AtomicBoolean();
    private final String holder = DataDirectory.serverName();

    /** Runs unless a run is already going here or another server holds the lease; true if it ran. */
    public boolean run() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        progress.started(clock.instant());
        return runHeld();
    }

    /**
     * Starts a run on the executor unless one is already going here; the status shows it as running
     * from now on, so that the caller's answer describes this run, not the last one.
     */
    public boolean start(Executor executor) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        progress.started(clock.instant());
        try {
            executor.execute(this::runHeld);
        } catch (RuntimeException e) {
            progress.skipped();
            running.set(false);
            throw e;
        }
        return true;
    }

    private boolean runHeld() {
        try {
            if (!lease(clock.instant())) {
                LOG.log(System.Logger.Level.DEBUG, "Another server holds the archive lease");
                progress.skipped();
                return false;
            }
            Instant now = clock.instant();
            String error = null;
            try {
                archiver.archiveAll(now, this::renew);
                digests.writeDue(clock.instant());
            } catch (Exception e) {
                error = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                LOG.log(System.Logger.Level.ERROR, "Archive run failed; the next run resumes", e);
            } finally {
                release();
            }
            progress.finished(clock.instant(), error);
            ArchiveProgress.Status s = progress.status();
            LOG.log(
                    System.Logger.Level.INFO,
                    "Archive run done: {0} records in {1} files, {2} digests",
                    s.records(),
                    s.files(),
                    s.digests());
            return true;
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot take the archive lease: {0}", e.getMessage());
            progress.finished(clock.instant(), "cannot take the archive lease: " + e.getMessage());
            return false;
        } finally {
            running.set(false);
        }
    }

    private void renew() throws SQLException {
        if (!lease(clock.instant())) {
            throw new IllegalStateException("another server took the archive lease; this run stops, that one goes on");
        }
    }

    private boolean lease(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE ArchiveLease "
                        + "SET Holder = ?, LeasedUntil = ? WHERE Name = 'archive' AND (Holder IS NULL OR Holder = ? "
                        + "OR LeasedUntil < ?)")) {
            s.setString(1, holder);
            s.setObject(2, Archiver.utc(now.plus(LEASE)));
            s.setString(3, holder);
            s.setObject(4, Archiver.utc(now));
            return s.executeUpdate() == 1;
        }
    }

    private void release() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE ArchiveLease SET Holder = NULL, LeasedUntil = NULL WHERE Name = 'archive' AND Holder = ?")) {
            s.setString(1, holder);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Cannot release the archive lease; it runs out by itself: {0}",
                    e.getMessage());
        }
    }
}
