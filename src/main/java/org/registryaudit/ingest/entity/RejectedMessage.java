package org.registryaudit.ingest.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.registryaudit.platform.entity.AuditTable;
import org.registryaudit.platform.entity.Columns;

/** A message, or one event of it, that could not be stored, kept with the reason and the raw body. */
@Entity
@Table(name = "RejectedMessages")
public class RejectedMessage {

    /** Longer bodies are kept truncated to this many characters; BodyLength tells the original size. */
    public static final int MAX_BODY = 1_000_000;

    /**
     * The table as the archive reads it (see {@link AuditTable}); not a table of queries. The login
     * server is the producer's, '-' when it named none; only those who see everything see any row.
     */
    public static final AuditTable TABLE = AuditTable.of(
            "RejectedMessages",
            "rejected-messages",
            "ReceivedAt",
            "COALESCE(LoginServer, '-')",
            AuditTable.AccessRule.NONE,
            """
                    Id:long! ReceivedAt:datetime! Source! MessageId ContentType LoginServer Reason! Fingerprint!
                    BodyLength:long! Body!
                    """);

    @Id
    @SequenceGenerator(name = "RejectedMessageSeq", sequenceName = "RejectedMessageSeq", allocationSize = 1000)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RejectedMessageSeq")
    @Column(name = "Id")
    private Long id;

    @Column(name = "ReceivedAt", nullable = false)
    private Instant receivedAt;

    @Column(name = "Source", nullable = false)
    private String source;

    @Column(name = "MessageId")
    private String messageId;

    @Column(name = "ContentType")
    private String contentType;

    @Column(name = "LoginServer")
    private String loginServer;

    @Column(name = "Reason", nullable = false)
    private String reason;

    @Column(name = "Fingerprint", nullable = false, updatable = false)
    private String fingerprint;

    @Column(name = "BodyLength", nullable = false)
    private int bodyLength;

    @Column(name = "Body", nullable = false)
    private String body;

    protected RejectedMessage() {}

    public RejectedMessage(
            Instant receivedAt,
            String source,
            String messageId,
            String contentType,
            String loginServer,
            String reason,
            String fingerprint,
            String body) {
        this.receivedAt = receivedAt;
        this.source = Columns.fit(source, 64);
        this.messageId = Columns.fit(messageId, 255);
        this.contentType = Columns.fit(contentType, 255);
        this.loginServer = Columns.fit(loginServer, 255);
        this.reason = Columns.fit(reason, 2048);
        this.fingerprint = fingerprint;
        this.bodyLength = body.length();
        this.body = clip(body, MAX_BODY);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    public Long getId() {
        return id;
    }

    public Instant getReceivedAt() {
        return receivedAt;
    }

    public String getSource() {
        return source;
    }

    public String getMessageId() {
        return messageId;
    }

    public String getContentType() {
        return contentType;
    }

    public String getLoginServer() {
        return loginServer;
    }

    public String getReason() {
        return reason;
    }

    public int getBodyLength() {
        return bodyLength;
    }

    public String getBody() {
        return body;
    }
}
