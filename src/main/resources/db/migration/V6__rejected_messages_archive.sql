-- Registry Audit schema, version 6: rejected messages are archived after their retention like the
-- other categories (RejectedMessages, per login server, '-' when the producer named none).
-- Portable SQL for H2 2.x and PostgreSQL 15, like V1.
ALTER TABLE RejectedMessages ADD COLUMN RestoreId BIGINT;
CREATE INDEX IxRejectedMessagesRestore ON RejectedMessages (RestoreId);
CREATE INDEX IxRejectedMessagesLoginServer ON RejectedMessages (LoginServer, ReceivedAt, Id);
