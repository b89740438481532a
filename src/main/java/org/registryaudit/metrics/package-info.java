/**
 * Metrics: push, pull and login counts per minute, per login server and per repository (the
 * AzureMetrics table), counted in the transaction that stores the events, read with roll-up to
 * hours and days; and the service's own figures (ingest rate, rejected messages, queue depth,
 * archive lag) as MicroProfile Metrics. Uses events (what was stored), archive (its progress),
 * ingest (the queue), platform and problems.
 */
package org.registryaudit.metrics;
