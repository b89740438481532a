package org.registryaudit.streaming.boundary;

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

import org.registryaudit.streaming.control.Delivery;

/**
 * Every two seconds, makes sure each stream destination has its delivering thread (a destination
 * created through the API, or on another server, gets one within that time). Non-persistent, on
 * every server; each destination's lease decides which server delivers it.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class StreamTimer {

    @Resource
    TimerService timers;

    @Inject
    Delivery delivery;

    @PostConstruct
    void start() {
        timers.createIntervalTimer(1000, 2000, new TimerConfig("stream-delivery", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void supervise() {
        delivery.supervise();
    }
}
