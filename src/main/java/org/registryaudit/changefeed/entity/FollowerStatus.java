package org.registryaudit.changefeed.entity;

import java.time.Instant;

/**
 * How the following of one Notary server goes, for admins.
 *
 * @param cursor the last change ID of that server's feed that is stored here
 * @param caughtUpAt the last poll that reached the end of that server's feed
 * @param lagSeconds seconds since then (null: never caught up yet); new changes there are at most
 *        this old plus one poll interval before they are stored here
 * @param lastError why the last poll failed; null once a poll succeeds again
 */
public record FollowerStatus(
        String name,
        String url,
        String cursor,
        long changesStored,
        Instant lastChangeAt,
        Instant lastPollAt,
        Instant caughtUpAt,
        Long lagSeconds,
        String lastError,
        Instant lastErrorAt) {}
