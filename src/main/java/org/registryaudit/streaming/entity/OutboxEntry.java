package org.registryaudit.streaming.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One record one destination has still to get: written with the event it describes, deleted once
 * the destination has taken it.
 */
@Entity
@Table(name = "StreamOutbox")
public class OutboxEntry {

    @Id
    @SequenceGenerator(name = "StreamOutboxSeq", sequenceName = "StreamOutboxSeq", allocationSize = 1000)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "StreamOutboxSeq")
    @Column(name = "Id")
    private Long id;

    @Column(name = "Destination", nullable = false)
    private String destination;

    @Column(name = "Category", nullable = false)
    private String category;

    @Column(name = "RecordId", nullable = false)
    private String recordId;

    @Column(name = "Record", nullable = false)
    private String record;

    @Column(name = "StoredAt", nullable = false)
    private Instant storedAt;

    protected OutboxEntry() {}

    public OutboxEntry(String destination, StreamRecord record, Instant storedAt) {
        this.destination = destination;
        this.category = record.category();
        this.recordId = record.id();
        this.record = record.json();
        this.storedAt = storedAt;
    }

    public Long getId() {
        return id;
    }

    public String getDestination() {
        return destination;
    }

    public Instant getStoredAt() {
        return storedAt;
    }

    public StreamRecord toRecord() {
        return new StreamRecord(recordId, category, record);
    }
}
