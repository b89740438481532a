package org.registryaudit.events.control;

import java.util.List;

import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;

/**
 * Fired synchronously, inside the storing transaction, with the events that were new, as stored
 * (their time of receipt set, their values fitted to the columns). Observers
 * (metrics, for instance) therefore count each event exactly once: a redelivered duplicate never
 * reaches them, and their work rolls back with the rows if the transaction does.
 *
 * @param conflicts the EventIds that were stored already with other content: not stored again, and
 *        the caller's to report (an id reused by a broken producer, or by someone hiding an event)
 */
public record EventsStored(
        List<RepositoryEventRecord> repositoryEvents, List<LoginEventRecord> loginEvents, List<String> conflicts) {

    public static final EventsStored NOTHING = new EventsStored(List.of(), List.of(), List.of());
}
