package org.registryaudit.changefeed.entity;

import java.time.Instant;

/**
 * A trust change as a producer reports it (docs/jms-contract.md, or a followed Notary server).
 *
 * @param eventId unique per change: a redelivery carrying the same id is stored once
 * @param sha256 hex SHA-256 of the new timestamp.json; null for a deletion
 * @param source where the change happened, for example the Notary server's name
 */
public record TrustChangeRecord(
        String eventId, Instant createdAt, String gun, int version, String sha256, String category, String source) {}
