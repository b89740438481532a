package org.registryaudit.metrics.boundary;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.registryaudit.metrics.control.MetricFolder;

/** Once a minute, folds the count rows of past minutes (see MetricFolder); bounded work per tick. */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class MetricsTimer {

    private static final System.Logger LOG = System.getLogger(MetricsTimer.class.getName());
    private static final int FOLDS_PER_TICK = 20;

    @Inject
    Clock clock;

    @Resource
    TimerService timers;

    @Inject
    MetricFolder folder;

    @PostConstruct
    void start() {
        timers.createIntervalTimer(30_000, 60_000, new TimerConfig("metrics-fold", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void timeout() {
        Instant before = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES);
        try {
            for (int i = 0; i < FOLDS_PER_TICK && folder.fold(before) > 0; i++) {
                // each fold is its own transaction
            }
        } catch (MetricFolder.FoldConflict | EJBException e) {
            LOG.log(System.Logger.Level.DEBUG, "metric fold deferred to the next tick: {0}", e.getMessage());
        }
    }
}
