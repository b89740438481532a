-- Registry Audit schema, version 5: archived ranges brought back into the query tables. Their rows
-- carry the restore's id in RestoreId (V4); dropping the restore deletes exactly those rows.
CREATE TABLE Restores (
    Id           BIGINT         NOT NULL PRIMARY KEY,
    Category     VARCHAR(64)    NOT NULL,
    LoginServer  VARCHAR(255),
    FromTime     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ToTime       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    Records      BIGINT         NOT NULL,
    Skipped      BIGINT         NOT NULL,
    CreatedAt    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX IxRepositoryEventsRestore ON ContainerRegistryRepositoryEvents (RestoreId);
CREATE INDEX IxLoginEventsRestore ON ContainerRegistryLoginEvents (RestoreId);
CREATE INDEX IxTrustChangesRestore ON TrustChanges (RestoreId);
