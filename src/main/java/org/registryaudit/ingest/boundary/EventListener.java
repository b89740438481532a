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
 * the message acknowledged: the adapter acknowledges a message when {@code onMessage} returns
 * ({@code Auto-acknowledge}, sent without waiting for the broker's answer). Whatever the store
 * throws (its group and then the message alone failed) makes the adapter roll the session back, so
 * the broker redelivers the message (and after its maximum number of attempts moves it to DLQ). A
 * crash after the commit and before the acknowledgement reached the broker means one redelivery,
 * which the unique EventId absorbs.
 *
 * <p>Not a transacted session ({@code useLocalTx}): its commit is a round trip to the broker and a
 * journal sync for every message, and it bought nothing the database commit had not already made
 * safe; dropping it took one-event messages from 2,618 to 3,510 events/s (docs/benchmarks.md).
 *
 * <p>Deliberately not XA: a server killed between the two commits of an XA transaction leaves the
 * message prepared and in doubt in the broker until a recovery that the resource adapter does not
 * reliably get. Database first, acknowledgement second, and idempotent storage make a crash at any
 * point cost one redelivery, which de-duplication absorbs.
 */
@MessageDriven(
        activationConfig = {
            @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
            @ActivationConfigProperty(propertyName = "destination", propertyValue = "${MPCONFIG=registry-audit.queue}"),
            @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
            @ActivationConfigProperty(
                    propertyName = "maxSession",
                    propertyValue = "${MPCONFIG=registry-audit.consumers}"),
            @ActivationConfigProperty(propertyName = "useLocalTx", propertyValue = "false"),
            @ActivationConfigProperty(propertyName = "acknowledgeMode", propertyValue = "Auto-acknowledge"),
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
            IncomingMessage incoming = new IncomingMessage(
                    body,
                    message.getStringProperty(AuditQueue.CONTENT_TYPE),
                    message.getStringProperty(AuditQueue.LOGIN_SERVER),
                    message.getJMSMessageID(),
                    "jms:" + queueName(message));
            if (problem != null) {
                ingestor.reject(incoming, problem);
            } else if (incoming.body() == null) {
                ingestor.reject(
                        incoming,
                        "unsupported JMS message type " + message.getClass().getSimpleName()
                                + "; send a TextMessage or a BytesMessage holding UTF-8 JSON");
            } else {
                commits.store(incoming);
            }
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read message", e);
        }
    }

    private static String queueName(Message message) throws JMSException {
        return message.getJMSDestination() instanceof Queue queue
                ? queue.getQueueName()
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
