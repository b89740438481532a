package org.registryaudit.ingest.control;

import java.util.List;

import org.registryaudit.changefeed.entity.TrustChangeRecord;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;

/** What one message turned into: the events to store and the parts of it that were rejected. */
public record Batch(
        List<RepositoryEventRecord> repositoryEvents,
        List<LoginEventRecord> loginEvents,
        List<TrustChangeRecord> trustChanges,
        List<Rejection> rejections) {

    /** One event of a message that failed validation, with its own JSON and the reason. */
    public record Rejection(String json, String reason) {}
}
