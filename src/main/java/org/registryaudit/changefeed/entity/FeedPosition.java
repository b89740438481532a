package org.registryaudit.changefeed.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The last position handed out in a feed. Its row lock, taken for update by every writer and held
 * until that writer commits, serializes the hand-out: positions commit in increasing order.
 */
@Entity
@Table(name = "FeedPositions")
public class FeedPosition {

    public static final String CHANGEFEED = "changefeed";

    @Id
    @Column(name = "Name")
    private String name;

    @Column(name = "LastId", nullable = false)
    private long lastId;

    @Column(name = "LastAt")
    private Instant lastAt;

    protected FeedPosition() {}

    /** The next position, and a hand-out time that never goes back even if the clock does. */
    public long next(Instant now) {
        lastAt = lastAt == null || now.isAfter(lastAt) ? now : lastAt;
        return ++lastId;
    }

    public Instant getLastAt() {
        return lastAt;
    }
}
