package org.registryaudit.metrics.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.jms.JMSRuntimeException;

import org.registryaudit.archive.control.ArchiveProgress;
import org.registryaudit.events.control.EventsStored;
import org.registryaudit.ingest.control.AuditQueue;
import org.registryaudit.ingest.control.GroupCommit;
import org.registryaudit.ingest.control.RejectStore;
import org.registryaudit.streaming.control.Backlog;
import org.registryaudit.streaming.control.Delivery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The service's own health figures, whichever metrics API a server offers for them
 * ({@link ServiceMetrics}: MicroProfile Metrics on Payara; {@link MicrometerMetrics}: Micrometer on
 * WildFly): the events stored (a counter per table, counted here once per committed transaction and
 * handed to the publisher), and these gauges. The ones that ask the database or the broker cache
 * their answer for a few seconds, so a scraper polling fast does not load either.
 */
@ApplicationScoped
public class ServiceFigures {

    private static final System.Logger LOG = System.getLogger(ServiceFigures.class.getName());
    /** Browsing a deeper queue than this on every scrape would cost more than the figure is worth. */
    static final int QUEUE_DEPTH_CAP = 10_000;

    private static final Duration CACHED = Duration.ofSeconds(5);

    static final String EVENTS_STORED = "registry_audit_events_stored";
    static final String EVENTS_STORED_HELP = "Events stored (new, not redelivered duplicates) since the server started";

    /** One gauge: its Prometheus name, its help text and where its value comes from. */
    public record Gauge(String name, String description, Supplier<Long> value) {}

    /** What a publisher does with the events a committed transaction stored. */
    public interface StoredCounter {
        void add(int repositoryEvents, int loginEvents);
    }

    @Inject
    RejectStore rejects;

    @Inject
    AuditQueue queue;

    @Inject
    ArchiveProgress archive;

    @Inject
    GroupCommit commits;

    @Inject
    Clock clock;

    @Inject
    Delivery streams;

    @Inject
    Backlog backlog;

    private Instant started;
    private List<Gauge> gauges;
    /** Set by the one publisher this server has, when the application starts; null before. */
    private volatile StoredCounter counter;

    @PostConstruct
    void makeGauges() {
        started = clock.instant();
        gauges = List.of(
                new Gauge(
                        "registry_audit_rejected_messages",
                        "Rejected messages kept in the database",
                        cached(this::rejectedMessages)),
                new Gauge(
                        "registry_audit_queue_depth",
                        "Messages waiting on the audit queue (browsed up to " + QUEUE_DEPTH_CAP
                                + "; -1 while the broker cannot be reached)",
                        cached(this::queueDepth)),
                new Gauge(
                        "registry_audit_ingest_commits",
                        "Database transactions that stored queued messages since "
                                + "the server started (several consumers' messages share one: see registry_audit_ingest_messages)",
                        () -> commits.figures().groups()),
                new Gauge(
                        "registry_audit_ingest_messages",
                        "Queued messages stored since the server started",
                        () -> commits.figures().items()),
                new Gauge(
                        "registry_audit_stream_backlog",
                        "Records waiting in the stream outbox, over every destination",
                        cached(() -> backlog.figures().records())),
                new Gauge(
                        "registry_audit_stream_oldest_seconds",
                        "Age of the oldest record waiting in the stream outbox (0 when none waits)",
                        cached(() -> backlog.figures().oldestSeconds())),
                new Gauge(
                        "registry_audit_stream_delivered",
                        "Records this server delivered to stream destinations since it started",
                        streams::delivered),
                new Gauge(
                        "registry_audit_stream_failures",
                        "Failed sends to stream destinations on this server since it started",
                        streams::failures),
                new Gauge(
                        "registry_audit_archive_lag_seconds",
                        "Seconds since this server's last archive run ended without error (since start if none has)",
                        this::archiveLagSeconds));
    }

    public List<Gauge> gauges() {
        return gauges;
    }

    /** The publisher's counter of stored events; the one observer of stored events calls it. */
    void countStoredWith(StoredCounter publisher) {
        counter = publisher;
    }

    /** After commit only: a rolled-back transaction stored nothing. */
    void stored(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventsStored stored) {
        StoredCounter publisher = counter;
        if (publisher != null) {
            publisher.add(stored.repositoryEvents().size(), stored.loginEvents().size());
        }
    }

    private long queueDepth() {
        try {
            return queue.depth(QUEUE_DEPTH_CAP);
        } catch (JMSRuntimeException e) {
            return -1;
        }
    }

    private long archiveLagSeconds() {
        Instant since = archive.lastCompleted() != null ? archive.lastCompleted() : started;
        return Duration.between(since, clock.instant()).toSeconds();
    }

    private long rejectedMessages() {
        try {
            return rejects.count();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "counting rejected messages failed: {0}", e.getMessage());
            return -1;
        }
    }

    /** A figure that costs a query, read at most every few seconds however often it is scraped. */
    private static Supplier<Long> cached(Supplier<Long> source) {
        Cache<Boolean, Long> kept =
                Caffeine.newBuilder().expireAfterWrite(CACHED).maximumSize(1).build();
        return () -> kept.get(Boolean.TRUE, k -> source.get());
    }
}
