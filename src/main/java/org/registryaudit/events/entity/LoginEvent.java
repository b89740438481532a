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

/** One row of ContainerRegistryLoginEvents: a successful or failed login (token request). */
@Entity
@Table(name = "ContainerRegistryLoginEvents")
public class LoginEvent {

    public static final String CATEGORY = "ContainerRegistryLoginEvents";

    /** The table as the archive, the query language and the access checks read it: see {@link AuditTable}. */
    public static final AuditTable TABLE = AuditTable.of(
                    CATEGORY,
                    "login-events",
                    "TimeGenerated",
                    "LoginServer",
                    AuditTable.AccessRule.identity("Identity"),
                    """
                    Id:long! EventId! TimeGenerated:datetime! ReceivedAt:datetime! LoginServer! OperationName!
                    Identity JwtId ResultType! ResultDescription CallerIpAddress UserAgent DurationMs:long
                    CorrelationId Region
                    """)
            .hiding("Id")
            .constant("Category", CATEGORY);

    @Id
    @SequenceGenerator(name = "LoginEventSeq", sequenceName = "LoginEventSeq", allocationSize = 1000)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "LoginEventSeq")
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

    @Column(name = "Identity")
    private String identity;

    @Column(name = "JwtId")
    private String jwtId;

    @Column(name = "ResultType", nullable = false)
    private String resultType;

    @Column(name = "ResultDescription")
    private String resultDescription;

    @Column(name = "CallerIpAddress")
    private String callerIpAddress;

    @Column(name = "UserAgent")
    private String userAgent;

    @Column(name = "DurationMs")
    private Long durationMs;

    @Column(name = "CorrelationId")
    private String correlationId;

    @Column(name = "Region")
    private String region;

    protected LoginEvent() {}

    public LoginEvent(LoginEventRecord r, Instant receivedAt) {
        this.eventId = Columns.fit(r.eventId(), 128);
        this.timeGenerated = r.timeGenerated();
        this.receivedAt = receivedAt;
        this.loginServer = Columns.fit(r.loginServer(), 255);
        this.operationName = Columns.fit(r.operationName(), 32);
        this.identity = Columns.fitLine(r.identity(), 255);
        this.jwtId = Columns.fit(r.jwtId(), 128);
        this.resultType = Columns.fit(r.resultType(), 32);
        this.resultDescription = Columns.fit(r.resultDescription(), 1024);
        this.callerIpAddress = Columns.fit(r.callerIpAddress(), 64);
        this.userAgent = Columns.fit(r.userAgent(), 1024);
        this.durationMs = r.durationMs();
        this.correlationId = Columns.fit(r.correlationId(), 128);
        this.region = Columns.fit(r.region(), 64);
    }

    /** Whether a record of the same EventId says what this row says (a redelivery), or something else. */
    public boolean sameContent(LoginEventRecord other) {
        return new LoginEvent(other, receivedAt).toRecord().equals(toRecord());
    }

    public LoginEventRecord toRecord() {
        return new LoginEventRecord(
                eventId,
                timeGenerated,
                receivedAt,
                loginServer,
                operationName,
                identity,
                jwtId,
                resultType,
                resultDescription,
                callerIpAddress,
                userAgent,
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
}
