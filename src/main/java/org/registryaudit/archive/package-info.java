/**
 * Archive: the timer that moves records past their retention into JSON Lines files laid out as
 * the Azure storage archive, the signed digests that chain those files (CloudTrail's log file
 * integrity) and their verification, online and offline; restore and export. Owns the archive's
 * own tables (ArchivedFiles, ArchiveDigests, ArchiveLease, Restores). Reads and deletes rows of the
 * audit tables it does not own only as their owners describe them ({@code AuditTable}: the
 * repository and login events of events, the trust changes of changefeed, the rejected messages of
 * ingest), and their retention from ingest's diagnostic settings. May use auth (its key utility),
 * changefeed, events, ingest, platform and problems.
 */
package org.registryaudit.archive;
