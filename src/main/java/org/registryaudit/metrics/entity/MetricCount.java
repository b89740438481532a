package org.registryaudit.metrics.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * A count of one metric in one minute, as one storing transaction (or the folding of several)
 * saw it. A key has any number of these rows; its value is their sum.
 */
@Entity
@Table(name = "MetricCounts")
public class MetricCount {

    @Id
    @SequenceGenerator(name = "MetricCountSeq", sequenceName = "MetricCountSeq", allocationSize = 1000)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "MetricCountSeq")
    @Column(name = "Id")
    private Long id;
    @Column(name = "LoginServer", nullable = false)
    private String loginServer;
    @Column(name = "Repository", nullable = false)
    private String repository;
    @Column(name = "MetricName", nullable = false)
    private String metricName;
    @Column(name = "TimeGenerated", nullable = false)
    private Instant timeGenerated;
    @Column(name = "Total", nullable = false)
    private long total;

    protected MetricCount() {
    }

    public MetricCount(MetricKey key, long total) {
        this.loginServer = key.loginServer();
        this.repository = key.repository();
        this.metricName = key.metric().name();
        this.timeGenerated = key.minute();
        this.total = total;
    }
}
