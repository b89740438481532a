package org.registryaudit.metrics.entity;

/**
 * The counted metrics. The first four are Azure's registry metrics (per repository too, which
 * Azure lacks); the login counts are Registry Audit's own. Every one is a count: each event is a
 * sample of 1.
 */
public enum MetricName {
    SuccessfulPullCount,
    TotalPullCount,
    SuccessfulPushCount,
    TotalPushCount,
    SuccessfulLoginCount,
    FailedLoginCount;

    /** Whether the metric is kept per repository (else only per login server, Repository ''). */
    public boolean perRepository() {
        return this != SuccessfulLoginCount && this != FailedLoginCount;
    }
}
