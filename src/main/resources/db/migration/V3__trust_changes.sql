-- Registry Audit schema, version 3: the Notary / DTR changefeed (trust changes) and the followers
-- of Notary servers. Portable SQL for H2 2.x and PostgreSQL 15, like V1.
--
-- Id is the changefeed position. It is handed out from FeedPositions inside the writing
-- transaction, under that row's lock, which is held until commit: positions therefore become
-- visible in increasing order, and a reader that sees position n also sees every position below n
-- (a cursor never skips a row that committed late). FeedAt, the time of that hand-out, never
-- decreases with Id, so the freshness window cuts the feed at a prefix too.
CREATE TABLE TrustChanges (
    Id          BIGINT        NOT NULL PRIMARY KEY,
    EventId     VARCHAR(200)  NOT NULL,
    FeedAt      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CreatedAt   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ReceivedAt  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    GUN         VARCHAR(255)  NOT NULL,
    Version     INTEGER       NOT NULL,
    SHA256      VARCHAR(64),
    Category    VARCHAR(16)   NOT NULL,
    Source      VARCHAR(255),
    CONSTRAINT UqTrustChangesEventId UNIQUE (EventId)
);
-- Per-GUN pages: GUN = ? AND Id > ? ORDER BY Id. The freshness cut-off: FeedAt <= ? ORDER BY FeedAt DESC.
CREATE INDEX IxTrustChangesGun ON TrustChanges (GUN, Id);
CREATE INDEX IxTrustChangesFeedAt ON TrustChanges (FeedAt, Id);

-- The last position handed out, per feed. Ids start at 2: 0 and 1 are the requests' "from the
-- beginning" and "from the most recent".
CREATE TABLE FeedPositions (
    Name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    LastId      BIGINT        NOT NULL,
    LastAt      TIMESTAMP(6) WITH TIME ZONE
);
INSERT INTO FeedPositions (Name, LastId) VALUES ('changefeed', 1);

-- One row per followed Notary server: its cursor (the last change ID stored) and its status.
CREATE TABLE NotaryFollowers (
    Name          VARCHAR(64)   NOT NULL PRIMARY KEY,
    Url           VARCHAR(1024) NOT NULL,
    ChangeCursor  VARCHAR(64)   NOT NULL,
    ChangesStored BIGINT        NOT NULL,
    LastChangeAt  TIMESTAMP(6) WITH TIME ZONE,
    LastPollAt    TIMESTAMP(6) WITH TIME ZONE,
    CaughtUpAt    TIMESTAMP(6) WITH TIME ZONE,
    LastError     VARCHAR(2048),
    LastErrorAt   TIMESTAMP(6) WITH TIME ZONE
);
