package org.registryaudit.query.control;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.problems.boundary.BusyException;

/**
 * How many queries run at once: {@code registry-audit.query.concurrent} on this server and
 * {@code registry-audit.query.concurrent-per-caller} for one caller. One caller's six heavy queries
 * once made everybody's one-row page take 30 s; now a query beyond the limits is refused at once
 * with 429 and {@code Retry-After}, and never waits for a database connection behind them.
 */
@ApplicationScoped
public class QuerySlots {

    @Inject
    @ConfigProperty(name = "registry-audit.query.concurrent")
    int concurrent;

    @Inject
    @ConfigProperty(name = "registry-audit.query.concurrent-per-caller")
    int perCaller;

    private Semaphore all;
    private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();

    /** A running query's place; closing it frees the place. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    @PostConstruct
    void init() {
        all = new Semaphore(concurrent);
    }

    public Slot take(String caller) {
        String key = caller == null ? "" : caller;
        boolean[] taken = {false};
        running.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < perCaller;
            return taken[0] ? now + 1 : (now == 0 ? null : now);
        });
        if (!taken[0]) {
            throw busy(
                    "you have " + perCaller + " queries running already (registry-audit.query.concurrent-per-caller)");
        }
        if (!all.tryAcquire()) {
            release(key);
            throw busy(concurrent + " queries are running on this server already (registry-audit.query.concurrent)");
        }
        return () -> {
            all.release();
            release(key);
        };
    }

    private void release(String key) {
        running.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static BusyException busy(String why) {
        return new BusyException(why + "; try again in a second", 1);
    }
}
