package org.registryaudit.ingest.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stores the messages of many consumers in one database transaction. Each consumer hands its
 * message over and waits; a committer thread takes every message waiting (up to
 * {@code registry-audit.ingest.group-size}), stores them with one duplicate check, one batch of
 * inserts and one commit, and only then releases their consumers, which acknowledge. A crash before
 * that commit acknowledges nothing, so the broker redelivers and the unique EventId absorbs it.
 *
 * <p>No message waits for company: a committer takes what is there when it is free, so a lone
 * message is stored at once, and under load the group grows by itself while the previous commit
 * runs. If a group's transaction fails (one message the database refuses, or a duplicate that raced
 * in from another server), each of its messages is stored again on its own, so one bad message
 * fails only itself and nothing valid waits behind it.
 */
@ApplicationScoped
public class GroupCommit {

    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());

    @Inject
    Ingestor ingestor;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "registry-audit.ingest.group-size", defaultValue = "64")
    int groupSize;

    @Inject
    @ConfigProperty(name = "registry-audit.ingest.committers", defaultValue = "2")
    int committers;

    private final BlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();
    private final LongAdder groups = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAccumulator largest = new LongAccumulator(Math::max, 0);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    /** A message and the consumer that waits for its commit. */
    private record Waiting(IncomingMessage message, CompletableFuture<Void> committed) {
    }

    @PostConstruct
    void start() {
        for (int i = 0; i < committers; i++) {
            Thread worker = threads.newThread(this::commitWhileRunning);
            worker.setName("registry-audit-group-commit-" + i);
            worker.start();
            workers.add(worker);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Waiting> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(w -> w.committed().completeExceptionally(new IllegalStateException("the service is stopping")));
    }

    /**
     * Stores the message with whatever else is waiting and returns once that is committed; throws
     * if it is not (the caller's delivery then rolls back and the broker redelivers).
     */
    public void store(IncomingMessage message) {
        if (!running) {
            throw new IllegalStateException("the service is stopping");
        }
        CompletableFuture<Void> committed = new CompletableFuture<>();
        waiting.add(new Waiting(message, committed));
        try {
            committed.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("not committed within 5 minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the commit", e);
        }
    }

    private void commitWhileRunning() {
        List<Waiting> group = new ArrayList<>(groupSize);
        while (running) {
            try {
                Waiting first = waiting.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, groupSize - 1);
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(w -> w.committed().completeExceptionally(e));
                return;
            } catch (RuntimeException | Error e) { // never leave a consumer waiting, never end the loop
                group.forEach(w -> w.committed().completeExceptionally(e));
            }
            group.clear();
        }
    }

    private void commit(List<Waiting> group) {
        try {
            ingestor.ingest(group.stream().map(Waiting::message).toList());
            committed(group.size());
            group.forEach(w -> w.committed().complete(null));
            return;
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).committed().completeExceptionally(e);
                return;
            }
            LOG.log(System.Logger.Level.DEBUG, "A group of {0} messages failed ({1}); storing each on its own",
                    group.size(), e.toString());
        }
        for (Waiting one : group) {
            try {
                ingestor.ingest(one.message());
                committed(1);
                one.committed().complete(null);
            } catch (RuntimeException e) {
                one.committed().completeExceptionally(e);
            }
        }
    }

    private void committed(int size) {
        groups.increment();
        messages.add(size);
        largest.accumulate(size);
    }

    /** Transactions committed since start: their number, the messages they held, the most one held. */
    public record Figures(long commits, long messages, long largest) {
    }

    public Figures figures() {
        return new Figures(groups.sum(), messages.sum(), largest.get());
    }
}
