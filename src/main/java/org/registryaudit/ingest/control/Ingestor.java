package org.registryaudit.ingest.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import org.registryaudit.changefeed.control.TrustChangeStore;
import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.changefeed.entity.TrustChangeRecord;
import org.registryaudit.events.control.EventStore;
import org.registryaudit.events.control.EventsStored;
import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.platform.entity.AuditTable;

/**
 * Turns queued messages into stored events and rejected parts, all of them in one database
 * transaction (one message, or the group a {@link GroupCommit} hands over). Invalid input is
 * recorded and acknowledged; anything else (the database is down, say) is thrown so that the
 * transaction rolls back and the broker redelivers the messages.
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
        return ingest(List.of(message));
    }

    /**
     * Stores the events of all these messages at once: one duplicate check, one batch of inserts,
     * one commit. An EventId that comes twice is stored once; if its second coming says something
     * else, that message is kept as a rejected message, as when it conflicts with a stored row.
     * Diagnostic settings may turn collection off for a login server and category: those events
     * are dropped.
     */
    public EventsStored ingest(List<IncomingMessage> messages) {
        Gathered<RepositoryEventRecord> repositoryEvents = new Gathered<>(RepositoryEventRecord::eventId);
        Gathered<LoginEventRecord> loginEvents = new Gathered<>(LoginEventRecord::eventId);
        Gathered<TrustChangeRecord> changes = new Gathered<>(TrustChangeRecord::eventId);
        Map<String, Boolean> collected = new HashMap<>(); // asked once per login server and category, not per event
        BiPredicate<String, AuditTable> collect = (loginServer, category) -> collected.computeIfAbsent(
                loginServer + "\n" + category.name(),
                k -> settings.effective(loginServer, category).collect());
        for (IncomingMessage message : messages) {
            Batch batch;
            try {
                batch = parser.parse(message.body(), message.contentType(), message.loginServer());
            } catch (InvalidMessageException e) {
                rejects.record(message, message.body(), e.getMessage());
                continue;
            }
            batch.rejections().forEach(r -> rejects.record(message, r.json(), r.reason()));
            batch.trustChanges().stream()
                    .filter(c -> collect.test(c.source() == null ? "-" : c.source(), TrustChange.TABLE))
                    .forEach(c -> changes.add(c, message));
            batch.repositoryEvents().stream()
                    .filter(e -> collect.test(e.loginServer(), RepositoryEvent.TABLE))
                    .forEach(e -> repositoryEvents.add(e, message));
            batch.loginEvents().stream()
                    .filter(e -> collect.test(e.loginServer(), LoginEvent.TABLE))
                    .forEach(e -> loginEvents.add(e, message));
        }
        trustChanges.store(changes.records());
        EventsStored stored = events.store(repositoryEvents.records(), loginEvents.records());
        for (String id : stored.conflicts()) {
            IncomingMessage message = repositoryEvents.messages.getOrDefault(id, loginEvents.messages.get(id));
            conflict(message, id);
        }
        for (Gathered<?> gathered : List.of(repositoryEvents, loginEvents, changes)) {
            gathered.conflicts.forEach(this::conflict);
        }
        return stored;
    }

    private void conflict(IncomingMessage message, String id) {
        rejects.record(
                message,
                message.body(),
                "EventId " + id + " is stored already with other content; the "
                        + "stored event stands and this message is kept here");
    }

    public void reject(IncomingMessage message, String reason) {
        rejects.record(message, message.body() == null ? "" : message.body(), reason);
    }

    /** The records of several messages, each EventId once, with the message that brought it first. */
    private static final class Gathered<R> {
        private final Function<R, String> id;
        private final Map<String, R> byId = new LinkedHashMap<>();
        final Map<String, IncomingMessage> messages = new HashMap<>();
        /** Later messages that brought an EventId again with other content, and that id. */
        final Map<IncomingMessage, String> conflicts = new LinkedHashMap<>();

        Gathered(Function<R, String> id) {
            this.id = id;
        }

        void add(R record, IncomingMessage message) {
            String key = id.apply(record);
            R earlier = byId.putIfAbsent(key, record);
            if (earlier == null) {
                messages.put(key, message);
            } else if (!earlier.equals(record)) {
                conflicts.putIfAbsent(message, key);
            }
        }

        List<R> records() {
            return new ArrayList<>(byId.values());
        }
    }
}
