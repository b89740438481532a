package org.registryaudit.ingest.control;

import java.util.Enumeration;
import java.util.List;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConnectionFactoryDefinition;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Puts a message on the audit queue. The connection factory is the
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

    /** One message for the queue: its body and the contract's properties. */
    public record Outgoing(String body, String contentType, String loginServer) {}

    /** Sends one persistent message, in the caller's transaction if there is one. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public void send(String body, String contentType, String loginServer) {
        sendAll(List.of(new Outgoing(body, contentType, loginServer)));
    }

    /**
     * Sends the messages in one transaction (the caller's, or one of its own): the broker writes
     * them to disk with one sync, and they are on the queue when this returns. One transaction per
     * message cost four round trips to the broker each (XA start, send, end, commit).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void sendAll(List<Outgoing> messages) {
        try (JMSContext context = connectionFactory.createContext()) {
            Queue queue = context.createQueue(queueName);
            for (Outgoing message : messages) {
                JMSProducer producer = context.createProducer().setProperty(CONTENT_TYPE, message.contentType());
                if (message.loginServer() != null) {
                    producer.setProperty(LOGIN_SERVER, message.loginServer());
                }
                producer.send(queue, message.body());
            }
        }
    }

    /**
     * How many messages wait on the queue, counted by browsing up to {@code cap} (a deeper queue
     * reports {@code cap}); throws JMSRuntimeException when the broker cannot be reached.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int depth(int cap) {
        try (JMSContext context = connectionFactory.createContext();
                QueueBrowser browser = context.createBrowser(context.createQueue(queueName))) {
            Enumeration<?> messages = browser.getEnumeration();
            int depth = 0;
            while (depth < cap && messages.hasMoreElements()) {
                messages.nextElement();
                depth++;
            }
            return depth;
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }
}
