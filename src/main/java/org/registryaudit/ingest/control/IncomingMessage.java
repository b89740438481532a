package org.registryaudit.ingest.control;

/**
 * A message as it came off the queue: the body and the properties of docs/jms-contract.md.
 *
 * @param source where it came from, for example {@code jms:registry-audit.events}
 */
public record IncomingMessage(String body, String contentType, String loginServer, String messageId, String source) {}
