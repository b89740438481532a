package org.registryaudit.ingest.entity;

import java.time.Instant;

/** A rejected message on the wire; the body only in the single-message view. */
public record RejectedMessageRecord(
        long id,
        Instant receivedAt,
        String source,
        String messageId,
        String contentType,
        String loginServer,
        String reason,
        int bodyLength,
        String body) {

    public static RejectedMessageRecord summary(RejectedMessage m) {
        return new RejectedMessageRecord(
                m.getId(),
                m.getReceivedAt(),
                m.getSource(),
                m.getMessageId(),
                m.getContentType(),
                m.getLoginServer(),
                m.getReason(),
                m.getBodyLength(),
                null);
    }

    public static RejectedMessageRecord full(RejectedMessage m) {
        return new RejectedMessageRecord(
                m.getId(),
                m.getReceivedAt(),
                m.getSource(),
                m.getMessageId(),
                m.getContentType(),
                m.getLoginServer(),
                m.getReason(),
                m.getBodyLength(),
                m.getBody());
    }
}
