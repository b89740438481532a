-- The tables notary-server 0.7.0 reads and writes with its PostgreSQL backend (its gorm models
-- TUFFile and SQLChange); notary-server does not create them itself ("store does not support
-- bootstrapping"). Used by the system test and the changefeed benchmark.
CREATE TABLE tuf_files (
    id         serial PRIMARY KEY,
    created_at timestamp NULL,
    updated_at timestamp NULL,
    deleted_at timestamp NULL,
    gun        varchar(255) NOT NULL,
    role       varchar(255) NOT NULL,
    version    integer NOT NULL,
    sha256     varchar(64) NULL,
    data       bytea NOT NULL,
    UNIQUE (gun, role, version)
);
CREATE INDEX tuf_files_sha256_idx ON tuf_files (sha256);
CREATE TABLE changefeed (
    id         serial PRIMARY KEY,
    created_at timestamp DEFAULT CURRENT_TIMESTAMP,
    gun        varchar(255) NOT NULL,
    version    integer NOT NULL,
    sha256     varchar(64) NULL,
    category   varchar(20) NOT NULL DEFAULT 'update'
);
CREATE INDEX idx_changefeed_gun ON changefeed (gun);
