package org.registryaudit.streaming.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.platform.control.DataDirectory;
import org.registryaudit.streaming.entity.DestinationRequest;
import org.registryaudit.streaming.entity.DestinationStatus;
import org.registryaudit.streaming.entity.OutboxEntry;
import org.registryaudit.streaming.entity.StreamRecord;

/**
 * Delivers each destination on a thread of its own, so that one that is down or slow holds up no
 * other, and ingest never waits for any: it only writes the outbox. A destination's thread reads
 * a batch of its oldest entries (holding its lease), sends them, and deletes them; in order, one
 * batch at a time. A failure is retried after a wait that doubles up to
 * {@code registry-audit.stream.max-retry-seconds}; memory holds one batch per destination however
 * long the backlog in the database grows.
 */
@ApplicationScoped
public class Delivery {

    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration IDLE_POLL = Duration.ofMillis(500);
    static final Duration HELD_ELSEWHERE_POLL = Duration.ofSeconds(5);

    @Inject
    Outbox outbox;

    @Inject
    WebhookSecrets secrets;

    @Inject
    StreamTopic topic;

    @Inject
    Clock clock;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "registry-audit.stream.max-retry-seconds")
    long maxRetrySeconds;

    @Inject
    @ConfigProperty(name = "registry-audit.stream.send-timeout-seconds")
    long sendTimeoutSeconds;

    private final String holder = DataDirectory.serverName();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean running = true;

    /** Starts a thread for each destination that has none, and stops those of destinations gone. */
    public synchronized void supervise() {
        if (!running) {
            return;
        }
        Set<String> names = Set.copyOf(outbox.destinations());
        for (String name : names) {
            workers.computeIfAbsent(name, this::start);
        }
        for (String name : List.copyOf(workers.keySet())) {
            if (!names.contains(name)) {
                workers.remove(name).stop();
            }
        }
    }

    /** New entries were committed: their destinations' threads look at once. */
    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
        for (String name : written.destinations()) {
            Worker worker = workers.get(name);
            if (worker != null) {
                worker.wake.release();
            }
        }
    }

    /** From storing to delivery, over the last records this server delivered to the destination. */
    public DestinationStatus.Lag lag(String name) {
        Worker worker = workers.get(name);
        return worker == null ? new DestinationStatus.Lag(0, null, null, null) : worker.lags.figures();
    }

    /** Records delivered and failed attempts on this server since it started. */
    public long delivered() {
        return delivered.sum();
    }

    public long failures() {
        return failures.sum();
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        workers.values().forEach(Worker::stop);
        workers.clear();
    }

    private Worker start(String name) {
        Worker worker = new Worker(name);
        Thread thread = threads.newThread(worker::run);
        thread.setName("registry-audit-stream-" + name);
        worker.thread = thread;
        thread.start();
        return worker;
    }

    /** The sender a destination's settings call for. */
    private Sender open(String name, DestinationRequest settings) {
        Duration timeout = Duration.ofSeconds(sendTimeoutSeconds);
        return switch (settings.transport()) {
            case SYSLOG_TLS, SYSLOG_TCP -> new SyslogSender(settings, timeout);
            case WEBHOOK -> new WebhookSender(settings, secrets.signature(name), timeout, clock);
            case JMS_TOPIC ->
                new Sender() {
                    @Override
                    public void send(List<StreamRecord> records) {
                        topic.publish(settings.address(), settings.format(), records);
                    }

                    @Override
                    public void close() {}
                };
        };
    }

    private final class Worker {
        final String name;
        final Semaphore wake = new Semaphore(0);
        final LagWindow lags = new LagWindow(4096);
        volatile boolean working = true;
        Thread thread;
        private Sender sender;
        private DestinationRequest current;
        private int failuresInRow;

        Worker(String name) {
            this.name = name;
        }

        void run() {
            while (working) {
                try {
                    round();
                } catch (InterruptedException e) {
                    break;
                } catch (RuntimeException e) {
                    // the database itself failed (the outbox could not be read): try again shortly
                    LOG.log(System.Logger.Level.WARNING, "Stream {0}: {1}", name, describe(e));
                    pause(Duration.ofSeconds(1));
                }
            }
            closeSender();
            try {
                outbox.release(name, holder);
            } catch (RuntimeException e) {
                // the lease runs out by itself
            }
        }

        private void round() throws InterruptedException {
            Outbox.Work work = outbox.next(name, holder, LEASE, Destinations.MAX_BATCH);
            if (work == null) {
                pause(HELD_ELSEWHERE_POLL);
                return;
            }
            Instant now = clock.instant();
            if (!work.settings().equals(current)) {
                closeSender();
                current = work.settings();
                failuresInRow = 0;
            }
            if (!current.enabled() || work.entries().isEmpty()) {
                pause(IDLE_POLL);
                return;
            }
            if (work.retryAt() != null && work.retryAt().isAfter(now)) {
                Duration untilRetry = Duration.between(now, work.retryAt());
                pause(untilRetry.compareTo(IDLE_POLL) < 0 ? untilRetry : IDLE_POLL);
                return;
            }
            List<StreamRecord> records = new ArrayList<>(work.entries().size());
            List<Long> ids = new ArrayList<>(work.entries().size());
            for (OutboxEntry entry : work.entries()) {
                records.add(entry.toRecord());
                ids.add(entry.getId());
            }
            try {
                if (sender == null) {
                    sender = open(name, current);
                }
                sender.send(records);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failuresInRow++;
                failures.increment();
                closeSender();
                long wait = Math.min(maxRetrySeconds, 1L << Math.min(failuresInRow - 1, 20));
                String error = describe(e);
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Stream {0}: sending {1} records failed ({2}); retry in {3} s",
                        name,
                        records.size(),
                        error,
                        wait);
                outbox.failed(name, error, now.plusSeconds(wait));
                return;
            }
            outbox.delivered(name, ids);
            delivered.add(ids.size());
            failuresInRow = 0;
            Instant done = clock.instant();
            for (OutboxEntry entry : work.entries()) {
                lags.add(Duration.between(entry.getStoredAt(), done).toMillis());
            }
        }

        private void pause(Duration wait) {
            try {
                if (wake.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                working = false;
            }
        }

        private void closeSender() {
            if (sender != null) {
                sender.close();
                sender = null;
            }
        }

        void stop() {
            working = false;
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    /** The last so many lags, in milliseconds, for their percentiles. */
    static final class LagWindow {
        private final long[] values;
        private long count;

        LagWindow(int size) {
            values = new long[size];
        }

        synchronized void add(long millis) {
            values[(int) (count++ % values.length)] = Math.max(0, millis);
        }

        synchronized DestinationStatus.Lag figures() {
            int n = (int) Math.min(count, values.length);
            if (n == 0) {
                return new DestinationStatus.Lag(0, null, null, null);
            }
            long[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            return new DestinationStatus.Lag(
                    n, sorted[(n - 1) / 2], sorted[(int) Math.ceil(n * 0.99) - 1], sorted[n - 1]);
        }
    }
}
