package org.registryaudit.metrics.control;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.jms.JMSRuntimeException;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import org.registryaudit.archive.control.ArchiveProgress;
import org.registryaudit.events.control.EventsStored;
import org.registryaudit.ingest.control.AuditQueue;
import org.registryaudit.ingest.control.GroupCommit;

/**
 * The service's own health figures in the application scope of {@code /metrics} (Prometheus
 * format): events stored (a counter, whose rate is the ingest rate), the storing transactions and
 * the messages they held, rejected messages kept, the audit queue's depth and the archive's lag. The gauges that ask the database or the broker cache
 * their answer for a few seconds, so a scraper polling fast does not load either.
 */
@ApplicationScoped
public class ServiceMetrics {

    private static final System.Logger LOG = System.getLogger(ServiceMetrics.class.getName());
    /** Browsing a deeper queue than this on every scrape would cost more than the figure is worth. */
    static final int QUEUE_DEPTH_CAP = 10_000;
    private static final Duration CACHED = Duration.ofSeconds(5);

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Inject
    AuditQueue queue;

    @Inject
    ArchiveProgress archive;

    @Inject
    GroupCommit commits;

    private final Instant started = Instant.now();
    private Counter repositoryEvents;
    private Counter loginEvents;

    void register(@Observes @Initialized(ApplicationScoped.class) Object start) {
        Metadata stored = Metadata.builder().withName("registry_audit_events_stored")
                .withDescription("Events stored (new, not redelivered duplicates) since the server started").build();
        repositoryEvents = registry.counter(stored, new Tag("table", "ContainerRegistryRepositoryEvents"));
        loginEvents = registry.counter(stored, new Tag("table", "ContainerRegistryLoginEvents"));
        gauge("registry_audit_rejected_messages", "Rejected messages kept in the database",
                cached(() -> count("SELECT COUNT(*) FROM RejectedMessages")));
        gauge("registry_audit_queue_depth", "Messages waiting on the audit queue (browsed up to "
                + QUEUE_DEPTH_CAP + "; -1 while the broker cannot be reached)", cached(this::queueDepth));
        gauge("registry_audit_ingest_commits", "Database transactions that stored queued messages since the server "
                + "started (several consumers' messages share one: see registry_audit_ingest_messages)",
                () -> commits.figures().groups());
        gauge("registry_audit_ingest_messages", "Queued messages stored since the server started",
                () -> commits.figures().items());
        gauge("registry_audit_archive_lag_seconds",
                "Seconds since this server's last archive run ended without error (since start if none has)",
                this::archiveLagSeconds);
    }

    /** After commit only: a rolled-back transaction stored nothing. */
    void stored(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventsStored stored) {
        repositoryEvents.inc(stored.repositoryEvents().size());
        loginEvents.inc(stored.loginEvents().size());
    }

    private void gauge(String name, String description, Supplier<Long> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), value);
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
        return Duration.between(since, Instant.now()).toSeconds();
    }

    private long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "metric query failed: {0}", e.getMessage());
            return -1;
        }
    }

    private static Supplier<Long> cached(Supplier<Long> source) {
        return new Supplier<>() {
            private long value;
            private Instant until = Instant.MIN;

            @Override
            public synchronized Long get() {
                if (Instant.now().isAfter(until)) {
                    value = source.get();
                    until = Instant.now().plus(CACHED);
                }
                return value;
            }
        };
    }
}
