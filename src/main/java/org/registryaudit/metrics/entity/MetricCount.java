package org.registryaudit.metrics.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.registryaudit.platform.entity.AuditTable;
import org.registryaudit.platform.entity.ColumnType;

/**
 * A count of one metric in one minute, as one storing transaction (or the folding of several)
 * saw it. A key has any number of these rows; its value is their sum.
 */
@Entity
@Table(name = "MetricCounts")
public class MetricCount {

    /**
     * AzureMetrics as queries read it (see {@link AuditTable}): the counts summed per key and
     * minute, with Azure's columns of a count metric. Not archived. The login counts have no
     * repository; only those who see everything see them.
     */
    public static final AuditTable AZURE_METRICS = AuditTable.of(
                    "AzureMetrics",
                    null,
                    "TimeGenerated",
                    "LoginServer",
                    AuditTable.AccessRule.namedRepository("Repository"),
                    "LoginServer! Repository! MetricName! TimeGenerated:datetime! Total:long!")
            .readFrom("(SELECT LoginServer, Repository, MetricName, TimeGenerated, SUM(Total) AS Total"
                    + " FROM MetricCounts GROUP BY LoginServer, Repository, MetricName, TimeGenerated) m")
            .deriving("Count", "Total", ColumnType.LONG)
            .deriving("Average", "CAST(1.0 AS DOUBLE PRECISION)", ColumnType.REAL)
            .deriving("Minimum", "CAST(1.0 AS DOUBLE PRECISION)", ColumnType.REAL)
            .deriving("Maximum", "CAST(1.0 AS DOUBLE PRECISION)", ColumnType.REAL)
            .constant("TimeGrain", "PT1M")
            .constant("UnitName", "Count");

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

    protected MetricCount() {}

    public MetricCount(MetricKey key, long total) {
        this.loginServer = key.loginServer();
        this.repository = key.repository();
        this.metricName = key.metric().name();
        this.timeGenerated = key.minute();
        this.total = total;
    }
}
