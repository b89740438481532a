package org.registryaudit.ingest.control;

import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import org.registryaudit.changefeed.control.TrustChangeStore;
import org.registryaudit.events.control.EventStore;
import org.registryaudit.events.control.EventsStored;

/**
 * Turns one queued message into stored events and rejected parts, in one database transaction.
 * Invalid input is recorded and acknowledged; anything else (the database is down, say) is thrown
 * so that the transaction rolls back and the broker redelivers the message.
 */
@Stateless
public class Ingestor {

    private final MessageParser parser = new MessageParser();

    @Inject
    EventStore events;

    @Inject
    TrustChangeStore trustChanges;

    @Inject
    RejectStore rejects;

    public EventsStored ingest(IncomingMessage message) {
        Batch batch;
        try {
            batch = parser.parse(message.body(), message.contentType(), message.loginServer());
        } catch (InvalidMessageException e) {
            rejects.record(message, message.body(), e.getMessage());
            return new EventsStored(List.of(), List.of());
        }
        batch.rejections().forEach(r -> rejects.record(message, r.json(), r.reason()));
        trustChanges.store(batch.trustChanges());
        return events.store(batch.repositoryEvents(), batch.loginEvents());
    }

    public void reject(IncomingMessage message, String reason) {
        rejects.record(message, message.body() == null ? "" : message.body(), reason);
    }
}
