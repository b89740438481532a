package org.registryaudit.streaming.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Where records stream to, and how its delivery goes. The delivery columns are written by the
 * server that holds the destination's lease (one at a time); the rest by the administrator.
 */
@Entity
@Table(name = "StreamDestinations")
public class Destination {

    @Id
    @Column(name = "Name")
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "Transport", nullable = false)
    private Transport transport;

    @Column(name = "Address", nullable = false)
    private String address;

    @Enumerated(EnumType.STRING)
    @Column(name = "Format", nullable = false)
    private StreamFormat format;

    @Column(name = "BatchSize", nullable = false)
    private int batchSize;

    @Column(name = "Enabled", nullable = false)
    private boolean enabled;

    @Column(name = "CaCertificates")
    private String caCertificates;

    @Column(name = "Delivered", nullable = false)
    private long delivered;

    @Column(name = "Failures", nullable = false)
    private long failures;

    @Column(name = "LastDeliveredAt")
    private Instant lastDeliveredAt;

    @Column(name = "LastError")
    private String lastError;

    @Column(name = "LastErrorAt")
    private Instant lastErrorAt;

    @Column(name = "RetryAt")
    private Instant retryAt;

    @Column(name = "Holder")
    private String holder;

    @Column(name = "LeasedUntil")
    private Instant leasedUntil;

    protected Destination() {}

    public Destination(String name) {
        this.name = name;
    }

    /** Takes what the administrator sets; a changed destination is tried again at once. */
    public void set(DestinationRequest r) {
        this.transport = r.transport();
        this.address = r.address();
        this.format = r.format();
        this.batchSize = r.batchSize();
        this.enabled = r.enabled();
        this.caCertificates = r.caCertificates();
        this.retryAt = null;
    }

    public void delivered(int records, Instant at) {
        this.delivered += records;
        this.lastDeliveredAt = at;
        this.retryAt = null;
    }

    public void failed(String error, Instant at, Instant retryAt) {
        this.failures++;
        this.lastError = error.length() > 1024 ? error.substring(0, 1024) : error;
        this.lastErrorAt = at;
        this.retryAt = retryAt;
    }

    /** Takes or renews the lease for {@code by}: free, already its own, or run out. */
    public boolean lease(String by, Instant now, java.time.Duration length) {
        if (holder != null && !holder.equals(by) && leasedUntil != null && leasedUntil.isAfter(now)) {
            return false;
        }
        if (!by.equals(holder) || leasedUntil == null || leasedUntil.isBefore(now.plus(length.dividedBy(2)))) {
            this.holder = by; // renewed when half of it is gone, not on every read
            this.leasedUntil = now.plus(length);
        }
        return true;
    }

    public void release(String by) {
        if (by.equals(holder)) {
            this.holder = null;
            this.leasedUntil = null;
        }
    }

    public String getName() {
        return name;
    }

    public DestinationRequest settings() {
        return new DestinationRequest(transport, address, format, batchSize, enabled, caCertificates);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public Instant getRetryAt() {
        return retryAt;
    }

    /** The delivery state, with what only the outbox and this server know filled in by the caller. */
    public DestinationStatus status(DestinationStatus.Backlog backlog, DestinationStatus.Lag lag, String secret) {
        return new DestinationStatus(
                name,
                settings(),
                secret,
                backlog,
                delivered,
                failures,
                lastDeliveredAt,
                lastError,
                lastErrorAt,
                retryAt,
                holder,
                lag);
    }
}
