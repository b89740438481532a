-- Registry Audit schema, version 7: push, pull and login counts per minute (the AzureMetrics table).
-- Portable SQL for H2 2.x and PostgreSQL 15, like V1.
--
-- Each storing transaction appends one row per (login server, repository, metric, minute) it
-- counted, in the same transaction as the events: a redelivered duplicate is never stored, so it is
-- never counted, and a rolled-back transaction takes its counts with it. Appending instead of
-- updating one row per minute means concurrent consumers never wait on each other's row lock; the
-- metrics timer later folds the rows of a key into one. Readers always sum.
-- Repository is '' for a login server's login counts.
CREATE SEQUENCE MetricCountSeq START WITH 1000 INCREMENT BY 1000;
CREATE TABLE MetricCounts (
    Id            BIGINT        NOT NULL PRIMARY KEY,
    LoginServer   VARCHAR(255)  NOT NULL,
    Repository    VARCHAR(255)  NOT NULL,
    MetricName    VARCHAR(64)   NOT NULL,
    TimeGenerated TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    Total         BIGINT        NOT NULL
);
CREATE INDEX IxMetricCountsServer ON MetricCounts (LoginServer, MetricName, TimeGenerated);
CREATE INDEX IxMetricCountsRepository ON MetricCounts (Repository, MetricName, TimeGenerated);
CREATE INDEX IxMetricCountsTime ON MetricCounts (TimeGenerated);
