package org.registryaudit.ingest.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSRuntimeException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.registryaudit.ingest.control.AuditQueue;
import org.registryaudit.platform.boundary.Started;

/** Ready only while the broker accepts a connection; reports whether the audit queue has a backlog. */
@Readiness
@ApplicationScoped
public class BrokerHealth implements HealthCheck {

    @Inject
    AuditQueue queue;

    @Inject
    @ConfigProperty(name = "registry-audit.queue")
    String queueName;

    @Override
    public HealthCheckResponse call() {
        if (!Started.isDone()) {
            return HealthCheckResponse.named("broker")
                    .down()
                    .withData("starting", true)
                    .build();
        }
        try {
            return HealthCheckResponse.named("broker")
                    .up()
                    .withData("queue", queueName)
                    .withData("backlog", queue.depth(1) > 0)
                    .build();
        } catch (JMSRuntimeException e) {
            return HealthCheckResponse.named("broker")
                    .down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
