/**
 * Metrics: push, pull and login counts per minute, per login server and per repository (owns
 * MetricCounts, read as the AzureMetrics table of {@code MetricCount.AZURE_METRICS}), counted in
 * the transaction that stores the events, read with roll-up to hours and days; and the service's
 * own figures (ingest rate, rejected messages, queue depth, archive lag) as MicroProfile Metrics
 * or Micrometer. May use events (what was stored), archive (its progress), ingest (the queue, the
 * rejected count), platform and problems.
 */
package org.registryaudit.metrics;
