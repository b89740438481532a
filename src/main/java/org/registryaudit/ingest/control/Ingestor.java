package org.registryaudit.ingest.control;

import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import org.registryaudit.archive.control.DiagnosticSettings;
import org.registryaudit.archive.entity.ArchiveCategory;
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

    @Inject
    DiagnosticSettings settings;

    public EventsStored ingest(IncomingMessage message) {
        Batch batch;
        try {
            batch = parser.parse(message.body(), message.contentType(), message.loginServer());
        } catch (InvalidMessageException e) {
            rejects.record(message, message.body(), e.getMessage());
            return EventsStored.NOTHING;
        }
        batch.rejections().forEach(r -> rejects.record(message, r.json(), r.reason()));
        trustChanges.store(batch.trustChanges().stream().filter(c -> collected(
                c.source() == null ? "-" : c.source(), ArchiveCategory.TRUST_CHANGES)).toList());
        EventsStored stored = events.store(
                batch.repositoryEvents().stream().filter(e -> collected(e.loginServer(), ArchiveCategory.REPOSITORY_EVENTS))
                        .toList(),
                batch.loginEvents().stream().filter(e -> collected(e.loginServer(), ArchiveCategory.LOGIN_EVENTS))
                        .toList());
        for (String id : stored.conflicts()) {
            rejects.record(message, message.body(), "EventId " + id + " is stored already with other content; the "
                    + "stored event stands and this message is kept here");
        }
        return stored;
    }

    /** Diagnostic settings may turn collection off for a login server and category: those are dropped. */
    private boolean collected(String loginServer, ArchiveCategory category) {
        return settings.effective(loginServer, category).collect();
    }

    public void reject(IncomingMessage message, String reason) {
        rejects.record(message, message.body() == null ? "" : message.body(), reason);
    }
}
