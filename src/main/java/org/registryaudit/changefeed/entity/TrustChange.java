package org.registryaudit.changefeed.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.registryaudit.platform.entity.AuditTable;

/**
 * One row of the changefeed: a new TUF timestamp of a GUN ({@code update}) or the deletion of its
 * trust data ({@code deletion}). The id is the feed position, handed out by the store.
 */
@Entity
@Table(name = "TrustChanges")
public class TrustChange {

    public static final String UPDATE = "update";
    public static final String DELETION = "deletion";

    /**
     * The table as the archive, the query language and the access checks read it: see
     * {@link AuditTable}. A GUN is a repository name (with the registry host in front); trust
     * changes have no login server, and their source (the Notary server, the producer) stands in.
     * Queries see the creation time as TimeGenerated and the feed position as ID, as DTR names them.
     */
    public static final AuditTable TABLE = AuditTable.of(
                    "TrustChanges",
                    "trust-changes",
                    "CreatedAt",
                    "COALESCE(Source, '-')",
                    AuditTable.AccessRule.repository("GUN"),
                    """
                    Id:long! EventId! FeedAt:datetime! CreatedAt:datetime! ReceivedAt:datetime! GUN! Version:long!
                    SHA256 Category! Source
                    """)
            .renaming("CreatedAt", "TimeGenerated")
            .renaming("Id", "ID")
            .hiding("FeedAt");

    @Id
    @Column(name = "Id")
    private Long id;

    @Column(name = "EventId", nullable = false, updatable = false)
    private String eventId;

    @Column(name = "FeedAt", nullable = false)
    private Instant feedAt;

    @Column(name = "CreatedAt", nullable = false)
    private Instant createdAt;

    @Column(name = "ReceivedAt", nullable = false)
    private Instant receivedAt;

    @Column(name = "GUN", nullable = false)
    private String gun;

    @Column(name = "Version", nullable = false)
    private int version;

    @Column(name = "SHA256")
    private String sha256;

    @Column(name = "Category", nullable = false)
    private String category;

    @Column(name = "Source")
    private String source;

    protected TrustChange() {}

    public TrustChange(TrustChangeRecord r, long id, Instant feedAt, Instant receivedAt) {
        this.id = id;
        this.eventId = r.eventId();
        this.feedAt = feedAt;
        this.createdAt = r.createdAt();
        this.receivedAt = receivedAt;
        this.gun = r.gun();
        this.version = r.version();
        this.sha256 = r.sha256() == null || r.sha256().isEmpty() ? null : r.sha256();
        this.category = r.category();
        this.source = r.source();
    }

    /** The change in Notary's changefeed shape. */
    public Change toChange() {
        return new Change(String.valueOf(id), createdAt, gun, version, sha256 == null ? "" : sha256, category);
    }

    public Long getId() {
        return id;
    }

    public String getEventId() {
        return eventId;
    }
}
