package org.registryaudit.platform.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Work that many threads hand over and wait for, done by a few worker threads for all that wait at
 * once: one database commit or one broker transaction for a whole group instead of one each.
 *
 * <p>Nothing waits for company: a worker takes what is there when it is free, so a lone item is
 * done at once, and under load the group grows by itself while the previous one is being done. If
 * a group fails, each of its items is done again on its own, so one bad item fails only itself.
 * {@link #submit} returns once its item's group has been done, and throws if it was not.
 */
public final class GroupedWork<T> implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupedWork.class.getName());
    private static final long MAX_WAIT_MINUTES = 5;

    private final String name;
    private final int maxGroup;
    private final Consumer<List<T>> action;
    private final BlockingQueue<Waiting<T>> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final LongAdder groups = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final LongAccumulator largest = new LongAccumulator(Math::max, 0);
    private volatile boolean running = true;

    private record Waiting<T>(T item, CompletableFuture<Void> done) {}

    /** Groups done since start: their number, the items they held, the most one held. */
    public record Figures(long groups, long items, long largest) {}

    /**
     * @param threads a container-managed thread factory, so that the action may call EJBs and
     *        start transactions
     */
    public GroupedWork(String name, int workerCount, int maxGroup, ThreadFactory threads, Consumer<List<T>> action) {
        this.name = name;
        this.maxGroup = maxGroup;
        this.action = action;
        for (int i = 0; i < workerCount; i++) {
            Thread worker = threads.newThread(this::workWhileRunning);
            worker.setName(name + "-" + i);
            worker.start();
            workers.add(worker);
        }
    }

    /** Does the item with whatever else waits, and returns once that is done. */
    public void submit(T item) {
        if (!running) {
            throw new IllegalStateException(name + " is stopping");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiting.add(new Waiting<>(item, done));
        try {
            done.get(MAX_WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": not done within " + MAX_WAIT_MINUTES + " minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while waiting", e);
        }
    }

    public Figures figures() {
        return new Figures(groups.sum(), items.sum(), largest.get());
    }

    /** Stops the workers; whatever still waits fails (a message then rolls back and is redelivered). */
    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Waiting<T>> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(w -> w.done().completeExceptionally(new IllegalStateException(name + " is stopping")));
    }

    private void workWhileRunning() {
        List<Waiting<T>> group = new ArrayList<>(maxGroup);
        while (running) {
            try {
                Waiting<T> first = waiting.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, maxGroup - 1);
                work(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(w -> w.done().completeExceptionally(e));
                return;
            } catch (RuntimeException | Error e) { // never leave a caller waiting, never end the loop
                group.forEach(w -> w.done().completeExceptionally(e));
            }
            group.clear();
        }
    }

    private void work(List<Waiting<T>> group) {
        try {
            action.accept(group.stream().map(Waiting::item).toList());
            done(group);
            return;
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(e);
                return;
            }
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "{0}: a group of {1} failed ({2}); doing each on its own",
                    name,
                    group.size(),
                    e.toString());
        }
        for (Waiting<T> one : group) {
            try {
                action.accept(List.of(one.item()));
                done(List.of(one));
            } catch (RuntimeException e) {
                one.done().completeExceptionally(e);
            }
        }
    }

    private void done(List<Waiting<T>> group) {
        groups.increment();
        items.add(group.size());
        largest.accumulate(group.size());
        group.forEach(w -> w.done().complete(null));
    }
}
