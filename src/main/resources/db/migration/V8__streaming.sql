-- Registry Audit schema, version 8: streaming audit records out as they are stored.
-- Portable SQL for H2 2.x and PostgreSQL 15, like V1.
--
-- A diagnostic setting names the destinations its records stream to (comma-separated names).
-- A destination is a transport (syslog over TLS or TCP, a signed webhook, a JMS topic), an address
-- and a format; its secret (the webhook's signing key) is configuration, never a column. Its
-- delivery state is kept with it, and so is the lease that lets one server at a time deliver it.
-- The outbox holds what each destination still has to get: written in the transaction that
-- stores the events, deleted in the transaction after the destination took them.
ALTER TABLE DiagnosticSettings ADD COLUMN StreamTo VARCHAR(1024);

CREATE TABLE StreamDestinations (
    Name            VARCHAR(64)    NOT NULL PRIMARY KEY,
    Transport       VARCHAR(16)    NOT NULL,
    Address         VARCHAR(1024)  NOT NULL,
    Format          VARCHAR(16)    NOT NULL,
    BatchSize       INTEGER        NOT NULL,
    Enabled         BOOLEAN        NOT NULL,
    CaCertificates  VARCHAR(65536),
    Delivered       BIGINT         NOT NULL,
    Failures        BIGINT         NOT NULL,
    LastDeliveredAt TIMESTAMP(6) WITH TIME ZONE,
    LastError       VARCHAR(1024),
    LastErrorAt     TIMESTAMP(6) WITH TIME ZONE,
    RetryAt         TIMESTAMP(6) WITH TIME ZONE,
    Holder          VARCHAR(512),
    LeasedUntil     TIMESTAMP(6) WITH TIME ZONE
);

CREATE SEQUENCE StreamOutboxSeq START WITH 1000 INCREMENT BY 1000;
CREATE TABLE StreamOutbox (
    Id          BIGINT         NOT NULL PRIMARY KEY,
    Destination VARCHAR(64)    NOT NULL,
    Category    VARCHAR(64)    NOT NULL,
    RecordId    VARCHAR(128)   NOT NULL,
    Record      VARCHAR(65536) NOT NULL,
    StoredAt    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
-- Each destination reads its own entries oldest first.
CREATE INDEX IxStreamOutboxDestination ON StreamOutbox (Destination, Id);

-- The live tail (GET /api/stream/…) reads the event tables in the order events arrived, which is
-- not the order of their ids when several transactions or servers store at once.
CREATE INDEX IxRepositoryEventsReceived ON ContainerRegistryRepositoryEvents (ReceivedAt, Id);
CREATE INDEX IxLoginEventsReceived ON ContainerRegistryLoginEvents (ReceivedAt, Id);
