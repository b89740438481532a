/**
 * Ingest: what reaches the audit queue (docs/jms-contract.md) becomes stored events or rejected
 * messages, exactly once. Boundary: the message-driven bean, the registry notification webhook and
 * the rejected-messages API. Control: parsing, rejection, the producer. May use events, changefeed,
 * archive (whether a category is collected), platform and problems.
 */
package org.registryaudit.ingest;
