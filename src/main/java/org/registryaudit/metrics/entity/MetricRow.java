package org.registryaudit.metrics.entity;

import java.time.Instant;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * One row of the AzureMetrics table: a metric over one time grain. Each event is a sample of 1,
 * so Count equals Total and Minimum, Maximum and Average are 1. Repository is null for a whole
 * login server.
 */
@JsonbPropertyOrder({
    "timeGenerated",
    "loginServer",
    "repository",
    "metricName",
    "timeGrain",
    "total",
    "count",
    "average",
    "minimum",
    "maximum",
    "unitName"
})
public record MetricRow(
        @JsonbProperty("TimeGenerated") Instant timeGenerated,
        @JsonbProperty("LoginServer") String loginServer,
        @JsonbProperty("Repository") String repository,
        @JsonbProperty("MetricName") String metricName,
        @JsonbProperty("TimeGrain") String timeGrain,
        @JsonbProperty("Total") long total,
        @JsonbProperty("Count") long count,
        @JsonbProperty("Average") double average,
        @JsonbProperty("Minimum") double minimum,
        @JsonbProperty("Maximum") double maximum,
        @JsonbProperty("UnitName") String unitName) {

    public static MetricRow of(
            Instant time, String loginServer, String repository, String metric, String grain, long total) {
        return new MetricRow(time, loginServer, repository, metric, grain, total, total, 1.0, 1.0, 1.0, "Count");
    }
}
