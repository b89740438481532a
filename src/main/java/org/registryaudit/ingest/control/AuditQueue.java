package org.registryaudit.ingest.control;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConnectionFactoryDefinition;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Puts a message on the audit queue, in the caller's transaction. The connection factory is the
 * Artemis resource adapter's; its credentials come from configuration (used with a standalone
 * broker that requires a login, ignored by the embedded one).
 */
@JMSConnectionFactoryDefinition(
        name = AuditQueue.CONNECTION_FACTORY,
        resourceAdapter = "artemis-ra",
        user = "${MPCONFIG=registry-audit.broker.user}",
        password = "${MPCONFIG=registry-audit.broker.password}",
        maxPoolSize = 32)
@Stateless
public class AuditQueue {

    public static final String CONNECTION_FACTORY = "java:app/jms/RegistryAuditConnectionFactory";
    /** JMS property: the media type of the body (docs/jms-contract.md). */
    public static final String CONTENT_TYPE = "contentType";
    /** JMS property: the registry's login server, overriding what the body says. */
    public static final String LOGIN_SERVER = "loginServer";

    @Resource(lookup = CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    @Inject
    @ConfigProperty(name = "registry-audit.queue")
    String queueName;

    public void send(String body, String contentType, String loginServer) {
        try (JMSContext context = connectionFactory.createContext()) {
            JMSProducer producer = context.createProducer().setProperty(CONTENT_TYPE, contentType);
            if (loginServer != null) {
                producer.setProperty(LOGIN_SERVER, loginServer);
            }
            producer.send(context.createQueue(queueName), body);
        }
    }
}
