/**
 * Changefeed: trust changes (every signed push and every deletion of trust data, in Notary's
 * terms) and the DTR / Notary changefeed API over them; owns TrustChanges (described by
 * {@code TrustChange.TABLE}), the feed position and the Notary followers. Changes come from JMS
 * producers (through ingest) and from followers of real Notary servers. Positions are handed out
 * in commit order, so a client paging forward never misses a change. May use auth (who may read
 * which GUN), platform and problems.
 */
package org.registryaudit.changefeed;
