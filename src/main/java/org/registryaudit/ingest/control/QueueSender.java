package org.registryaudit.ingest.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.platform.control.GroupedWork;

/**
 * Puts notifications on the audit queue for many concurrent webhook requests at once: each request
 * hands its message over and waits; a sender thread sends every message waiting in one broker
 * transaction (one disk sync) and releases the requests, which answer 202 only then.
 */
@ApplicationScoped
public class QueueSender {

    @Inject
    AuditQueue queue;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "registry-audit.notifications.group-size")
    int groupSize;

    @Inject
    @ConfigProperty(name = "registry-audit.notifications.senders")
    int senders;

    private GroupedWork<AuditQueue.Outgoing> work;

    @PostConstruct
    void start() {
        work = new GroupedWork<>("registry-audit-queue-sender", senders, groupSize, threads, queue::sendAll);
    }

    @PreDestroy
    void stop() {
        work.close();
    }

    /** Returns once the message is on the queue (durable); throws if it is not. */
    public void send(String body, String contentType, String loginServer) {
        work.submit(new AuditQueue.Outgoing(body, contentType, loginServer));
    }
}
