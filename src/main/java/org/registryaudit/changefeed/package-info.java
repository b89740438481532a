/**
 * Changefeed: trust changes (every signed push and every deletion of trust data, in Notary's
 * terms) and the DTR / Notary changefeed API over them. Changes come from JMS producers (through
 * ingest) and from followers of real Notary servers. Positions are handed out in commit order, so
 * a client paging forward never misses a change. Boundary: the changefeed and the follower status
 * APIs, the follower timer. Control: the store, the feed query, the Notary client. May use auth
 * (who may read which GUN), platform and problems.
 */
package org.registryaudit.changefeed;
