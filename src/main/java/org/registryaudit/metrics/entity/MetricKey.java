package org.registryaudit.metrics.entity;

import java.time.Instant;

/** What a count is of: a metric, in a minute, of a login server and repository ('' for logins). */
public record MetricKey(String loginServer, String repository, MetricName metric, Instant minute) {}
