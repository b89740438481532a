package org.registryaudit.ingest.boundary;

import java.nio.charset.StandardCharsets;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;

import org.registryaudit.ingest.control.AuditQueue;
import org.registryaudit.ingest.control.GroupCommit;
import org.registryaudit.ingest.control.IncomingMessage;
import org.registryaudit.ingest.control.Ingestor;
import org.registryaudit.ingest.control.InvalidMessageException;
import org.registryaudit.ingest.control.MessageParser;

/**
 * Consumes the audit queue. Thin on purpose: it reads the body and the contract's properties and
 * hands them to the {@link GroupCommit}, which stores them with the messages of the other consumers
 * in a database transaction of its own and returns once that committed. Only after that commit is
 * the message acknowledged (the adapter's local transaction, {@code useLocalTx});
 * whatever the store throws (its group and then the message alone failed) rolls the delivery back, so the broker redelivers the message (and
 * after its maximum number of attempts moves it to DLQ).
 *
 * <p>Deliberately not XA: a server killed between the two commits of an XA transaction leaves the
 * message prepared and in doubt in the broker until a recovery that the resource adapter does not
 * reliably get. Database first, acknowledgement second, and idempotent storage make a crash at any
 * point cost one redelivery, which de-duplication absorbs.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "${MPCONFIG=registry-audit.queue}"),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "${MPCONFIG=registry-audit.consumers}"),
        @ActivationConfigProperty(propertyName = "useLocalTx", propertyValue = "true"),
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "artemis-ra")
})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventListener implements MessageListener {

    @Inject
    Ingestor ingestor;

    @Inject
    GroupCommit commits;

    @Override
    public void onMessage(Message message) {
        try {
            String problem = null;
            String body;
            try {
                body = body(message);
            } catch (InvalidMessageException e) {
                problem = e.getMessage();
                body = new String(bytes((BytesMessage) message), StandardCharsets.UTF_8);
            }
            IncomingMessage incoming = new IncomingMessage(body,
                    message.getStringProperty(AuditQueue.CONTENT_TYPE),
                    message.getStringProperty(AuditQueue.LOGIN_SERVER),
                    message.getJMSMessageID(),
                    "jms:" + queueName(message));
            if (problem != null) {
                ingestor.reject(incoming, problem);
            } else if (incoming.body() == null) {
                ingestor.reject(incoming, "unsupported JMS message type " + message.getClass().getSimpleName()
                        + "; send a TextMessage or a BytesMessage holding UTF-8 JSON");
            } else {
                commits.store(incoming);
            }
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read message", e);
        }
    }

    private static String queueName(Message message) throws JMSException {
        return message.getJMSDestination() instanceof Queue queue ? queue.getQueueName()
                : String.valueOf(message.getJMSDestination());
    }

    private static String body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            return MessageParser.utf8(bytes(bytes));
        }
        return null;
    }

    private static byte[] bytes(BytesMessage message) throws JMSException {
        message.reset();
        byte[] data = new byte[(int) message.getBodyLength()];
        message.readBytes(data);
        return data;
    }
}
