-- Registry Audit schema, version 1: repository events, login events, rejected messages.
-- Portable SQL: runs unchanged on H2 2.x (the embedded default) and PostgreSQL 15.
-- Tables and columns carry the Azure Container Registry log names (unquoted, so each database folds
-- their case); EventId is the producer's id and is unique, which makes every write idempotent.
-- Sequences advance by the JPA allocationSize (1000): ids are handed out in blocks of 1000, so
-- concurrent consumers rarely wait on EclipseLink's sequencing lock (at 50 they queued on it).

CREATE SEQUENCE RepositoryEventSeq START WITH 1000 INCREMENT BY 1000;
CREATE SEQUENCE LoginEventSeq START WITH 1000 INCREMENT BY 1000;
CREATE SEQUENCE RejectedMessageSeq START WITH 1000 INCREMENT BY 1000;

CREATE TABLE ContainerRegistryRepositoryEvents (
    Id                BIGINT        NOT NULL PRIMARY KEY,
    EventId           VARCHAR(128)  NOT NULL,
    TimeGenerated     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ReceivedAt        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    LoginServer       VARCHAR(255)  NOT NULL,
    OperationName     VARCHAR(32)   NOT NULL,
    Repository        VARCHAR(255)  NOT NULL,
    Tag               VARCHAR(128),
    Digest            VARCHAR(160),
    MediaType         VARCHAR(255),
    ArtifactType      VARCHAR(255),
    Size              BIGINT,
    FromRepository    VARCHAR(255),
    Identity          VARCHAR(255),
    ResultType        VARCHAR(32),
    ResultDescription VARCHAR(1024),
    CallerIpAddress   VARCHAR(64),
    UserAgent         VARCHAR(1024),
    HttpMethod        VARCHAR(16),
    DurationMs        BIGINT,
    CorrelationId     VARCHAR(128),
    Region            VARCHAR(64),
    CONSTRAINT UqRepositoryEventsEventId UNIQUE (EventId)
);
-- The read API orders by (TimeGenerated, Id) descending and filters on these columns.
CREATE INDEX IxRepositoryEventsTime ON ContainerRegistryRepositoryEvents (TimeGenerated, Id);
CREATE INDEX IxRepositoryEventsRepository ON ContainerRegistryRepositoryEvents (Repository, TimeGenerated, Id);
CREATE INDEX IxRepositoryEventsLoginServer ON ContainerRegistryRepositoryEvents (LoginServer, TimeGenerated, Id);
CREATE INDEX IxRepositoryEventsIdentity ON ContainerRegistryRepositoryEvents (Identity, TimeGenerated, Id);
CREATE INDEX IxRepositoryEventsDigest ON ContainerRegistryRepositoryEvents (Digest);

CREATE TABLE ContainerRegistryLoginEvents (
    Id                BIGINT        NOT NULL PRIMARY KEY,
    EventId           VARCHAR(128)  NOT NULL,
    TimeGenerated     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ReceivedAt        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    LoginServer       VARCHAR(255)  NOT NULL,
    OperationName     VARCHAR(32)   NOT NULL,
    Identity          VARCHAR(255),
    JwtId             VARCHAR(128),
    ResultType        VARCHAR(32)   NOT NULL,
    ResultDescription VARCHAR(1024),
    CallerIpAddress   VARCHAR(64),
    UserAgent         VARCHAR(1024),
    DurationMs        BIGINT,
    CorrelationId     VARCHAR(128),
    Region            VARCHAR(64),
    CONSTRAINT UqLoginEventsEventId UNIQUE (EventId)
);
CREATE INDEX IxLoginEventsTime ON ContainerRegistryLoginEvents (TimeGenerated, Id);
CREATE INDEX IxLoginEventsIdentity ON ContainerRegistryLoginEvents (Identity, TimeGenerated, Id);
CREATE INDEX IxLoginEventsLoginServer ON ContainerRegistryLoginEvents (LoginServer, TimeGenerated, Id);

-- Messages (or single events inside one) that could not be parsed or failed validation. Kept with
-- the reason and the raw body; Fingerprint (SHA-256 of body and reason) makes a resend a no-op.
CREATE TABLE RejectedMessages (
    Id            BIGINT         NOT NULL PRIMARY KEY,
    ReceivedAt    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    Source        VARCHAR(64)    NOT NULL,
    MessageId     VARCHAR(255),
    ContentType   VARCHAR(255),
    LoginServer   VARCHAR(255),
    Reason        VARCHAR(2048)  NOT NULL,
    Fingerprint   VARCHAR(64)    NOT NULL,
    BodyLength    INTEGER        NOT NULL,
    Body          VARCHAR(1000000) NOT NULL,
    CONSTRAINT UqRejectedMessagesFingerprint UNIQUE (Fingerprint)
);
CREATE INDEX IxRejectedMessagesTime ON RejectedMessages (ReceivedAt, Id);
