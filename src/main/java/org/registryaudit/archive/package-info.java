/**
 * Archive: diagnostic settings (what is collected, archived, and after how long), the timer that
 * moves records past their retention into JSON Lines files laid out as the Azure storage archive,
 * the signed hourly digests that chain those files (CloudTrail's log file integrity), and their
 * verification, online and offline. May use auth (its key utility), platform and problems; it reads the event and changefeed tables
 * directly.
 */
package org.registryaudit.archive;
