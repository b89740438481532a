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
 * Stores the messages of many consumers in one database transaction. Each consumer hands its
 * message over and waits; a committer thread takes every message waiting (up to
 * {@code registry-audit.ingest.group-size}), stores them with one duplicate check, one batch of
 * inserts and one commit, and only then releases their consumers, which acknowledge. A crash before
 * that commit acknowledges nothing, so the broker redelivers and the unique EventId absorbs it. If
 * a group's transaction fails (a duplicate that raced in from another server, say), each of its
 * messages is stored again on its own ({@link GroupedWork}).
 */
@ApplicationScoped
public class GroupCommit {

    @Inject
    Ingestor ingestor;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "registry-audit.ingest.group-size")
    int groupSize;

    @Inject
    @ConfigProperty(name = "registry-audit.ingest.committers")
    int committers;

    private GroupedWork<IncomingMessage> work;

    @PostConstruct
    void start() {
        work = new GroupedWork<>("registry-audit-group-commit", committers, groupSize, threads, ingestor::ingest);
    }

    @PreDestroy
    void stop() {
        work.close();
    }

    /** Stores the message with whatever else waits; returns once that is committed, throws if not. */
    public void store(IncomingMessage message) {
        work.submit(message);
    }

    public GroupedWork.Figures figures() {
        return work.figures();
    }
}
