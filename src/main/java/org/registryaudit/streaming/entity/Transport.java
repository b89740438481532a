package org.registryaudit.streaming.entity;

/**
 * How records reach a destination, and what its address is.
 *
 * <ul>
 *   <li>{@code SYSLOG_TLS}: RFC 5424 messages over TLS, framed as RFC 5425 says (octet counting);
 *       address {@code host:port} (6514 is the registered port).
 *   <li>{@code SYSLOG_TCP}: the same messages and framing over plain TCP (RFC 6587); for a
 *       collector on the same host or network segment.
 *   <li>{@code WEBHOOK}: HTTPS (or HTTP) POSTs signed as the Standard Webhooks specification
 *       defines; address the URL.
 *   <li>{@code JMS_TOPIC}: messages on a topic of the broker the service consumes from; address
 *       the topic name.
 * </ul>
 */
public enum Transport {
    SYSLOG_TLS,
    SYSLOG_TCP,
    WEBHOOK,
    JMS_TOPIC
}
