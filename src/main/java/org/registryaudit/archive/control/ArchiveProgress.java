package org.registryaudit.archive.control;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How the archive run of this server goes, for the admin API and the log. Its workers report from
 * several threads, so each change is one synchronized step; readers see the last whole status.
 */
@ApplicationScoped
public class ArchiveProgress {

    /**
     * @param running whether a run is under way on this server
     * @param current the bucket being written (category, login server, hour), null between buckets
     * @param records records archived by the current (or last) run so far
     * @param left records of the current login server and category past their retention still in the database
     * @param checkedAt when a run last ended here, one that found nothing to do included: such a run
     *        leaves the figures of the last run that did something in place
     */
    public record Status(
            boolean running,
            Instant startedAt,
            Instant finishedAt,
            String current,
            long records,
            long files,
            long digests,
            Long left,
            String lastError,
            Instant checkedAt) {

        boolean didNothing() {
            return records == 0 && files == 0 && digests == 0 && lastError == null;
        }
    }

    private volatile Status status = new Status(false, null, null, null, 0, 0, 0, null, null, null);
    /** The status before the current run started, shown again if that run does nothing. */
    private Status before = status;

    private volatile Instant lastCompleted;

    public Status status() {
        return status;
    }

    /** When the last run on this server that ended without error ended; null if none has. */
    public Instant lastCompleted() {
        return lastCompleted;
    }

    synchronized void started(Instant now) {
        if (!status.running()) {
            before = status;
        }
        status = new Status(true, now, null, null, 0, 0, 0, null, null, status.checkedAt());
    }

    /** A run that was asked for but did not go ahead (another server holds the lease). */
    synchronized void skipped() {
        status = before;
    }

    /** Counted once per login server and category; each file then counts itself off. */
    synchronized void left(long left) {
        Status s = status;
        status = new Status(
                true, s.startedAt(), null, s.current(), s.records(), s.files(), s.digests(), left, null, s.checkedAt());
    }

    synchronized void bucket(String current) {
        Status s = status;
        status = new Status(
                true, s.startedAt(), null, current, s.records(), s.files(), s.digests(), s.left(), null, s.checkedAt());
    }

    synchronized void file(long records) {
        Status s = status;
        status = new Status(
                true,
                s.startedAt(),
                null,
                s.current(),
                s.records() + records,
                s.files() + 1,
                s.digests(),
                s.left() == null ? null : Math.max(0, s.left() - records),
                null,
                s.checkedAt());
    }

    synchronized void digest() {
        Status s = status;
        status = new Status(
                s.running(),
                s.startedAt(),
                s.finishedAt(),
                s.current(),
                s.records(),
                s.files(),
                s.digests() + 1,
                s.left(),
                null,
                s.checkedAt());
    }

    synchronized void finished(Instant now, String error) {
        if (error == null) {
            lastCompleted = now;
        }
        Status s = status;
        Status done =
                new Status(false, s.startedAt(), now, null, s.records(), s.files(), s.digests(), s.left(), error, now);
        Status b = before;
        status = done.didNothing() && b.startedAt() != null
                ? new Status(
                        false,
                        b.startedAt(),
                        b.finishedAt(),
                        null,
                        b.records(),
                        b.files(),
                        b.digests(),
                        b.left(),
                        b.lastError(),
                        now)
                : done;
    }
}
