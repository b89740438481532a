-- Registry Audit schema, version 4: diagnostic settings, the archive's bookkeeping, restores.
-- Portable SQL for H2 2.x and PostgreSQL 15, like V1.

-- Rows brought back from the archive carry the restore's id: they are never archived again, and
-- dropping the restore deletes exactly them.
ALTER TABLE ContainerRegistryRepositoryEvents ADD COLUMN RestoreId BIGINT;
ALTER TABLE ContainerRegistryLoginEvents ADD COLUMN RestoreId BIGINT;
ALTER TABLE TrustChanges ADD COLUMN RestoreId BIGINT;
CREATE INDEX IxTrustChangesCreatedAt ON TrustChanges (Source, CreatedAt, Id);

-- Per login server and category: collected at all, archived, and after how many days. LoginServer
-- '*' holds the defaults for every login server without a row of its own.
CREATE TABLE DiagnosticSettings (
    LoginServer    VARCHAR(255)  NOT NULL,
    Category       VARCHAR(64)   NOT NULL,
    Collect        BOOLEAN       NOT NULL,
    Archive        BOOLEAN       NOT NULL,
    RetentionDays  INTEGER       NOT NULL,
    PRIMARY KEY (LoginServer, Category)
);

-- Every archive file written, recorded in the same transaction that deletes its rows: a file
-- without a row here is unfinished work that the next run overwrites; a row here is final.
CREATE TABLE ArchivedFiles (
    Id           BIGINT         NOT NULL PRIMARY KEY,
    Path         VARCHAR(1024)  NOT NULL,
    Category     VARCHAR(64)    NOT NULL,
    LoginServer  VARCHAR(255)   NOT NULL,
    EventHour    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    Part         INTEGER        NOT NULL,
    Records      BIGINT         NOT NULL,
    Bytes        BIGINT         NOT NULL,
    Sha256       VARCHAR(64)    NOT NULL,
    OldestTime   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    NewestTime   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    DeliveredAt  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT UqArchivedFilesPath UNIQUE (Path),
    CONSTRAINT UqArchivedFilesPart UNIQUE (Category, LoginServer, EventHour, Part)
);
CREATE INDEX IxArchivedFilesDelivered ON ArchivedFiles (DeliveredAt);
CREATE INDEX IxArchivedFilesEventHour ON ArchivedFiles (Category, EventHour);

-- One signed digest per hour of delivery, chained to the one before, empty hours included.
CREATE TABLE ArchiveDigests (
    DigestHour   TIMESTAMP(6) WITH TIME ZONE NOT NULL PRIMARY KEY,
    Path         VARCHAR(1024)  NOT NULL,
    Sha256       VARCHAR(64)    NOT NULL,
    Signature    VARCHAR(2048)  NOT NULL,
    Files        INTEGER        NOT NULL,
    CreatedAt    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- Who runs the archive: a lease, so that one server of several sharing the database does it.
CREATE TABLE ArchiveLease (
    Name         VARCHAR(64)    NOT NULL PRIMARY KEY,
    Holder       VARCHAR(255),
    LeasedUntil  TIMESTAMP(6) WITH TIME ZONE
);
INSERT INTO ArchiveLease (Name) VALUES ('archive');
