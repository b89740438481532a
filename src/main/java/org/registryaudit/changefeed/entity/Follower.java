package org.registryaudit.changefeed.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A followed Notary server: the last change ID stored from its feed, and how the following goes. */
@Entity
@Table(name = "NotaryFollowers")
public class Follower {

    @Id
    @Column(name = "Name")
    private String name;

    @Column(name = "Url", nullable = false)
    private String url;

    @Column(name = "ChangeCursor", nullable = false)
    private String cursor;

    @Column(name = "ChangesStored", nullable = false)
    private long changesStored;

    @Column(name = "LastChangeAt")
    private Instant lastChangeAt;

    @Column(name = "LastPollAt")
    private Instant lastPollAt;

    @Column(name = "CaughtUpAt")
    private Instant caughtUpAt;

    @Column(name = "LastError")
    private String lastError;

    @Column(name = "LastErrorAt")
    private Instant lastErrorAt;

    protected Follower() {}

    public Follower(String name, String url) {
        this.name = name;
        this.url = url;
        this.cursor = "0";
    }

    /** A page was stored: the cursor moves to its last change. */
    public void advanced(String newCursor, int stored, Instant lastChange, boolean caughtUp, Instant now) {
        this.cursor = newCursor;
        this.changesStored += stored;
        if (lastChange != null) {
            this.lastChangeAt = lastChange;
        }
        this.lastPollAt = now;
        if (caughtUp) {
            this.caughtUpAt = now;
        }
        this.lastError = null;
    }

    public void failed(String error, Instant now) {
        this.lastPollAt = now;
        this.lastError = error.length() > 2000 ? error.substring(0, 2000) : error;
        this.lastErrorAt = now;
    }

    public FollowerStatus status(Instant now) {
        Long lag = caughtUpAt == null ? null : Math.max(0, now.getEpochSecond() - caughtUpAt.getEpochSecond());
        return new FollowerStatus(
                name, url, cursor, changesStored, lastChangeAt, lastPollAt, caughtUpAt, lag, lastError, lastErrorAt);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getCursor() {
        return cursor;
    }
}
