package org.registryaudit.platform.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueBrowser;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.registryaudit.ingest.control.AuditQueue;

/** Ready only while the broker accepts a connection; reports whether the audit queue has a backlog. */
@Readiness
@ApplicationScoped
public class BrokerHealth implements HealthCheck {

    @Resource(lookup = AuditQueue.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    @Inject
    @ConfigProperty(name = "registry-audit.queue")
    String queueName;

    @Override
    public HealthCheckResponse call() {
        try (JMSContext context = connectionFactory.createContext();
                QueueBrowser browser = context.createBrowser(context.createQueue(queueName))) {
            return HealthCheckResponse.named("broker").up().withData("queue", queueName)
                    .withData("backlog", browser.getEnumeration().hasMoreElements()).build();
        } catch (JMSRuntimeException | jakarta.jms.JMSException e) {
            return HealthCheckResponse.named("broker").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
