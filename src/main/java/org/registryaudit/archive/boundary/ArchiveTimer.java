package org.registryaudit.archive.boundary;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.archive.control.ArchiveRun;

/**
 * Starts an archive run every {@code registry-audit.archive.interval-minutes} (0: never; runs can
 * still be started through the API), the first {@code registry-audit.archive.first-run-seconds}
 * after the application starts. Non-persistent on every server; the archive lease decides
 * which one works.
 *
 * <p>Bean-managed transactions: a run commits each file in a transaction of its own through
 * {@code UserTransaction}, which the container refuses to a bean with container-managed ones
 * (every timer-started run failed so, while runs started through the API worked).
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class ArchiveTimer {

    @Resource
    TimerService timers;

    @Inject
    ArchiveRun run;

    @Inject
    @ConfigProperty(name = "registry-audit.archive.interval-minutes")
    long intervalMinutes;

    @Inject
    @ConfigProperty(name = "registry-audit.archive.first-run-seconds")
    long firstRunSeconds;

    @PostConstruct
    void start() {
        if (intervalMinutes > 0) {
            schedule(Duration.ofSeconds(firstRunSeconds), Duration.ofMinutes(intervalMinutes));
        }
    }

    /** Replaces the schedule: the first run after {@code first}, then one every {@code interval}. */
    public void schedule(Duration first, Duration interval) {
        timers.getTimers().forEach(Timer::cancel);
        timers.createIntervalTimer(first.toMillis(), interval.toMillis(), new TimerConfig("archive", false));
    }

    @Timeout
    void timeout() {
        run.run();
    }
}
