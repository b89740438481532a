package org.registryaudit.archive.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.archive.control.ArchiveRun;

/**
 * Starts an archive run every {@code registry-audit.archive.interval-minutes} (0: never; runs can
 * still be started through the API). Non-persistent on every server; the archive lease decides
 * which one works.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ArchiveTimer {

    @Resource
    TimerService timers;

    @Inject
    ArchiveRun run;

    @Inject
    @ConfigProperty(name = "registry-audit.archive.interval-minutes")
    long intervalMinutes;

    @PostConstruct
    void start() {
        if (intervalMinutes > 0) {
            timers.createIntervalTimer(60_000, intervalMinutes * 60_000, new TimerConfig("archive", false));
        }
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void timeout() {
        run.run();
    }
}
