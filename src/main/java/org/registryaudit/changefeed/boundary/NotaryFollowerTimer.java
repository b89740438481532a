package org.registryaudit.changefeed.boundary;

import java.util.concurrent.atomic.AtomicBoolean;

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
import org.registryaudit.changefeed.control.NotaryFollower;

/**
 * Starts a poll of the followed Notary servers every {@code registry-audit.notary.poll-seconds}.
 * Non-persistent: each server runs its own, and the followers' cursors in the database keep two
 * servers from storing a change twice. A poll that is still running when the next is due makes
 * that one skip.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class NotaryFollowerTimer {

    private static final System.Logger LOG = System.getLogger(NotaryFollowerTimer.class.getName());

    @Resource
    TimerService timers;

    @Inject
    NotaryFollower follower;

    @Inject
    @ConfigProperty(name = "registry-audit.notary.poll-seconds")
    long pollSeconds;

    private final AtomicBoolean running = new AtomicBoolean();

    @PostConstruct
    void start() {
        var servers = follower.servers();
        if (servers.isEmpty()) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Following the changefeeds of {0}, every {1} s", servers, pollSeconds);
        timers.createIntervalTimer(1000, pollSeconds * 1000, new TimerConfig("notary-follower", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void poll() {
        if (running.compareAndSet(false, true)) {
            try {
                follower.pollAll();
            } finally {
                running.set(false);
            }
        }
    }
}
