package org.registryaudit.events.entity;

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

/** One row of ContainerRegistryRepositoryEvents: a push, pull, mount, delete or untag. */
@Entity
@Table(name = "ContainerRegistryRepositoryEvents")
public class RepositoryEvent {

    public static final String CATEGORY = "ContainerRegistryRepositoryEvents";

    /** The table as the archive, the query language and the access checks read it: see {@link AuditTable}. */
    public static final AuditTable TABLE = AuditTable.of(
                    CATEGORY,
                    "repository-events",
                    "TimeGenerated",
                    "LoginServer",
                    AuditTable.AccessRule.repository("Repository"),
                    """
                    Id:long! EventId! TimeGenerated:datetime! ReceivedAt:datetime! LoginServer! OperationName!
                    Repository! Tag Digest MediaType ArtifactType Size:long FromRepository Identity ResultType
                    ResultDescription CallerIpAddress UserAgent HttpMethod DurationMs:long CorrelationId Region
                    """)
            .hiding("Id")
            .constant("Category", CATEGORY);

    @Id
    @SequenceGenerator(name = "RepositoryEventSeq", sequenceName = "RepositoryEventSeq", allocationSize = 1000)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RepositoryEventSeq")
    @Column(name = "Id")
    private Long id;

    @Column(name = "EventId", nullable = false, updatable = false)
    private String eventId;

    @Column(name = "TimeGenerated", nullable = false)
    private Instant timeGenerated;

    @Column(name = "ReceivedAt", nullable = false)
    private Instant receivedAt;

    @Column(name = "LoginServer", nullable = false)
    private String loginServer;

    @Column(name = "OperationName", nullable = false)
    private String operationName;

    @Column(name = "Repository", nullable = false)
    private String repository;

    @Column(name = "Tag")
    private String tag;

    @Column(name = "Digest")
    private String digest;

    @Column(name = "MediaType")
    private String mediaType;

    @Column(name = "ArtifactType")
    private String artifactType;

    @Column(name = "Size")
    private Long size;

    @Column(name = "FromRepository")
    private String fromRepository;

    @Column(name = "Identity")
    private String identity;

    @Column(name = "ResultType")
    private String resultType;

    @Column(name = "ResultDescription")
    private String resultDescription;

    @Column(name = "CallerIpAddress")
    private String callerIpAddress;

    @Column(name = "UserAgent")
    private String userAgent;

    @Column(name = "HttpMethod")
    private String httpMethod;

    @Column(name = "DurationMs")
    private Long durationMs;

    @Column(name = "CorrelationId")
    private String correlationId;

    @Column(name = "Region")
    private String region;

    protected RepositoryEvent() {}

    public RepositoryEvent(RepositoryEventRecord r, Instant receivedAt) {
        this.eventId = Columns.fit(r.eventId(), 128);
        this.timeGenerated = r.timeGenerated();
        this.receivedAt = receivedAt;
        this.loginServer = Columns.fit(r.loginServer(), 255);
        this.operationName = Columns.fit(r.operationName(), 32);
        this.repository = Columns.fit(r.repository(), 255);
        this.tag = Columns.fit(r.tag(), 128);
        this.digest = Columns.fit(r.digest(), 160);
        this.mediaType = Columns.fit(r.mediaType(), 255);
        this.artifactType = Columns.fit(r.artifactType(), 255);
        this.size = r.size();
        this.fromRepository = Columns.fit(r.fromRepository(), 255);
        this.identity = Columns.fitLine(r.identity(), 255);
        this.resultType = Columns.fit(r.resultType(), 32);
        this.resultDescription = Columns.fit(r.resultDescription(), 1024);
        this.callerIpAddress = Columns.fit(r.callerIpAddress(), 64);
        this.userAgent = Columns.fit(r.userAgent(), 1024);
        this.httpMethod = Columns.fit(r.httpMethod(), 16);
        this.durationMs = r.durationMs();
        this.correlationId = Columns.fit(r.correlationId(), 128);
        this.region = Columns.fit(r.region(), 64);
    }

    /** Whether a record of the same EventId says what this row says (a redelivery), or something else. */
    public boolean sameContent(RepositoryEventRecord other) {
        return new RepositoryEvent(other, receivedAt).toRecord().equals(toRecord());
    }

    public RepositoryEventRecord toRecord() {
        return new RepositoryEventRecord(
                eventId,
                timeGenerated,
                receivedAt,
                loginServer,
                operationName,
                repository,
                tag,
                digest,
                mediaType,
                artifactType,
                size,
                fromRepository,
                identity,
                resultType,
                resultDescription,
                callerIpAddress,
                userAgent,
                httpMethod,
                durationMs,
                correlationId,
                region,
                CATEGORY);
    }

    public Instant getReceivedAt() {
        return receivedAt;
    }

    public Long getId() {
        return id;
    }

    public String getEventId() {
        return eventId;
    }

    public Instant getTimeGenerated() {
        return timeGenerated;
    }

    public String getRepository() {
        return repository;
    }
}
