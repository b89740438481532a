package org.registryaudit.streaming.entity;

/**
 * A destination as the administrator sets it (PUT) and reads it back. No secret: the webhook's
 * signing key is configuration ({@code registry-audit.stream.<name>.secret}).
 *
 * @param batchSize the records sent at once at most: one webhook POST (a CloudEvents batch when more
 *        than 1), one topic transaction, one write to the syslog connection
 * @param enabled false: records still collect in the outbox, nothing is sent
 * @param caCertificates PEM certificates that a TLS server's chain must lead to (syslog over TLS,
 *        https webhooks); null: the Java runtime's trusted authorities
 */
public record DestinationRequest(
        Transport transport,
        String address,
        StreamFormat format,
        int batchSize,
        boolean enabled,
        String caCertificates) {}
