package org.registryaudit.events.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** One row of ContainerRegistryRepositoryEvents: a push, pull, mount, delete or untag. */
@Entity
@Table(name = "ContainerRegistryRepositoryEvents")
public class RepositoryEvent {

    public static final String CATEGORY = "ContainerRegistryRepositoryEvents";

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

    protected RepositoryEvent() {
    }

    public RepositoryEvent(RepositoryEventRecord r, Instant receivedAt) {
        this.eventId = r.eventId();
        this.timeGenerated = r.timeGenerated();
        this.receivedAt = receivedAt;
        this.loginServer = r.loginServer();
        this.operationName = r.operationName();
        this.repository = r.repository();
        this.tag = r.tag();
        this.digest = r.digest();
        this.mediaType = r.mediaType();
        this.artifactType = r.artifactType();
        this.size = r.size();
        this.fromRepository = r.fromRepository();
        this.identity = r.identity();
        this.resultType = r.resultType();
        this.resultDescription = r.resultDescription();
        this.callerIpAddress = r.callerIpAddress();
        this.userAgent = r.userAgent();
        this.httpMethod = r.httpMethod();
        this.durationMs = r.durationMs();
        this.correlationId = r.correlationId();
        this.region = r.region();
    }

    public RepositoryEventRecord toRecord() {
        return new RepositoryEventRecord(eventId, timeGenerated, receivedAt, loginServer, operationName, repository,
                tag, digest, mediaType, artifactType, size, fromRepository, identity, resultType, resultDescription,
                callerIpAddress, userAgent, httpMethod, durationMs, correlationId, region, CATEGORY);
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
