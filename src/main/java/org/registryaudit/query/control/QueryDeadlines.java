package org.registryaudit.query.control;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The time limit of queries. JDBC's own {@code setQueryTimeout} makes the driver schedule and
 * cancel a task on its timer thread around every execution, which cost a filtered 100-row page a
 * tenth of its time on PostgreSQL (docs/benchmarks.md). Here a running statement is only noted with
 * its deadline, and a sweep once a second cancels the statements past theirs: a query stops within
 * a second after its limit, with SQLSTATE 57014 as from the driver's timer, on H2 and PostgreSQL.
 */
@ApplicationScoped
public class QueryDeadlines {

    private static final System.Logger LOG = System.getLogger(QueryDeadlines.class.getName());

    private final Map<Statement, Long> running = new ConcurrentHashMap<>();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "registry-audit.query.timeout-seconds")
    int timeoutSeconds;

    private ScheduledFuture<?> sweeping;

    QueryDeadlines() {}

    /** Deadlines outside the container: only {@link #sweep} calls enforce them. */
    QueryDeadlines(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    @PostConstruct
    void start() {
        sweeping = scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        sweeping.cancel(false);
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Watches a statement of a query that started at {@code startedNanos} until the watch is closed. */
    public Watch watch(Statement statement, long startedNanos) {
        return watch(statement, startedNanos, timeoutSeconds);
    }

    /** The same with a limit of its own, {@link #limit} of what the query asked for. */
    public Watch watch(Statement statement, long startedNanos, int seconds) {
        running.put(statement, startedNanos + TimeUnit.SECONDS.toNanos(seconds));
        return () -> running.remove(statement);
    }

    /** A query's own time limit ({@code Prefer: wait=…}) where it is below the server's; else the server's. */
    public int limit(int requestedSeconds) {
        return requestedSeconds > 0 && requestedSeconds < timeoutSeconds ? requestedSeconds : timeoutSeconds;
    }

    /** Cancels every statement past its deadline; a statement that has just finished ignores the cancel. */
    public void sweep() {
        long now = System.nanoTime();
        running.forEach((statement, deadline) -> {
            if (now - deadline >= 0 && running.remove(statement, deadline)) {
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cancelling an overdue query failed: {0}", e.getMessage());
                }
            }
        });
    }

    /** Open while its statement runs. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
