package org.registryaudit.streaming.control;

import java.util.List;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Topic;
import jakarta.json.JsonObject;

import org.registryaudit.ingest.control.AuditQueue;
import org.registryaudit.streaming.entity.StreamFormat;
import org.registryaudit.streaming.entity.StreamRecord;

/**
 * Publishes records on a JMS topic of the broker the service consumes from, in one transaction
 * per batch: the broker has every message of it, persistent, once this returns. Each message
 * carries the record's id ({@code recordId}: subscribers drop repeats by it), its {@code category},
 * {@code loginServer} and {@code contentType} as properties (docs/jms-contract.md).
 *
 * <p>No duplicate-detection id ({@code _AMQ_DUPL_ID}): Artemis refuses a whole transaction that holds
 * one id it has seen, so a batch published just before a crash, and read again after it with one
 * record more or less, would be rolled back on every retry and the destination would stall.
 */
@Stateless
public class StreamTopic {

    @Resource(lookup = AuditQueue.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void publish(String topicName, StreamFormat format, List<StreamRecord> records) {
        try (JMSContext context = connectionFactory.createContext()) {
            Topic topic = context.createTopic(topicName);
            for (StreamRecord record : records) {
                JsonObject json = Formats.parse(record);
                JMSProducer producer = context.createProducer()
                        .setProperty("recordId", record.id())
                        .setProperty("category", record.category())
                        .setProperty("loginServer", Formats.loginServer(json))
                        .setProperty("contentType", Formats.mediaType(format));
                producer.send(topic, Formats.render(format, record, json));
            }
        }
    }
}
