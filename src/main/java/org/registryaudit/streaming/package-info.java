/**
 * Streaming: audit records leave the service as they are stored, for SIEMs and other consumers,
 * as Azure's diagnostic settings stream registry logs to an Event Hub. A diagnostic setting's
 * {@code streamTo} (ingest) names the destinations of a login server's category; a destination
 * ({@code /api/stream-destinations}) is a transport, an address and a format.
 *
 * <p>Delivery loses nothing: the {@code Outbox} observes the stored events and writes what each
 * destination is to get in the storing transaction; {@code Delivery} sends it on a thread per
 * destination, in order, at least once (each record carries its id), deletes it after, and backs
 * off when a destination fails. A destination that is down grows its backlog in the database, never
 * in memory, and never slows ingest or another destination. One server at a time delivers a
 * destination (its lease in StreamDestinations).
 *
 * <p>Owns StreamDestinations and StreamOutbox. May use ingest (the settings), archive (the
 * record's JSON shape), events, platform and problems.
 */
package org.registryaudit.streaming;
