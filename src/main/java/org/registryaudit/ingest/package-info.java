/**
 * Ingest: what reaches the audit queue (docs/jms-contract.md) becomes stored events or rejected
 * messages, exactly once. Owns RejectedMessages ({@code RejectedMessage.TABLE}) and the diagnostic
 * settings, which decide here whether a login server's category is collected at all (the archive
 * reads their retention). Boundary: the message-driven bean, the registry notification webhook,
 * the rejected-messages and diagnostic-settings APIs, the broker health check. Control: parsing,
 * group commit, rejection, the producer. May use changefeed, events, platform and problems.
 */
package org.registryaudit.ingest;
