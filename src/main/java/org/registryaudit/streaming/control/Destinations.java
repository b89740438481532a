package org.registryaudit.streaming.control;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.registryaudit.ingest.control.DiagnosticSettings;
import org.registryaudit.ingest.entity.SettingRecord;
import org.registryaudit.platform.control.TlsTrust;
import org.registryaudit.problems.boundary.InvalidRequestException;
import org.registryaudit.streaming.entity.Destination;
import org.registryaudit.streaming.entity.DestinationRequest;
import org.registryaudit.streaming.entity.DestinationStatus;
import org.registryaudit.streaming.entity.StreamFormat;
import org.registryaudit.streaming.entity.Transport;

/**
 * The stream destinations: what the administrator sets (checked before it is stored, so that a
 * destination that is stored can be delivered), and how each one's delivery goes. A webhook's
 * signing secret is configuration ({@link WebhookSecrets}), never part of a destination.
 */
@Stateless
public class Destinations {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    static final int MAX_BATCH = 1000;
    /** The column's size: PEM text of a few dozen certificates. */
    static final int MAX_CERTIFICATES = 65536;

    /** The formats each transport can carry. */
    static final Map<Transport, Set<StreamFormat>> FORMATS = Map.of(
            Transport.SYSLOG_TLS, Set.of(StreamFormat.JSON, StreamFormat.CEF, StreamFormat.OCSF),
            Transport.SYSLOG_TCP, Set.of(StreamFormat.JSON, StreamFormat.CEF, StreamFormat.OCSF),
            Transport.WEBHOOK, Set.of(StreamFormat.CLOUDEVENTS, StreamFormat.JSON, StreamFormat.OCSF),
            Transport.JMS_TOPIC, Set.of(StreamFormat.values()));

    @PersistenceContext
    EntityManager em;

    @Inject
    WebhookSecrets secrets;

    @Inject
    DiagnosticSettings settings;

    @Inject
    Delivery delivery;

    @Inject
    Backlog backlog;

    public List<DestinationStatus> list() {
        return em.createQuery("select d from Destination d order by d.name", Destination.class).getResultList().stream()
                .map(this::status)
                .toList();
    }

    public Optional<DestinationStatus> get(String name) {
        return Optional.ofNullable(em.find(Destination.class, name)).map(this::status);
    }

    public boolean exists(String name) {
        return em.find(Destination.class, name) != null;
    }

    public DestinationStatus save(String name, DestinationRequest wanted) {
        check(name, wanted);
        Destination destination = em.find(Destination.class, name);
        if (destination == null) {
            destination = new Destination(name);
            destination.set(wanted);
            em.persist(destination);
        } else {
            destination.set(wanted);
        }
        return status(destination);
    }

    /** The settings that stream to the destination; it can go only when none does. */
    public List<SettingRecord> namedBy(String name) {
        return settings.list().stream().filter(s -> s.streamTo().contains(name)).toList();
    }

    /** Removes the destination and what it had still to get. */
    public boolean delete(String name) {
        Destination destination = em.find(Destination.class, name);
        if (destination == null) {
            return false;
        }
        em.createQuery("delete from OutboxEntry e where e.destination = :d")
                .setParameter("d", name)
                .executeUpdate();
        em.remove(destination);
        return true;
    }

    /** A diagnostic setting about to be saved names only destinations that exist. */
    public void settingSaved(@Observes SettingRecord saving) {
        for (String name : saving.streamTo()) {
            if (!exists(name)) {
                throw new InvalidRequestException("streamTo names '" + name
                        + "', which is not a stream destination; create it with PUT /api/stream-destinations/"
                        + name);
            }
        }
    }

    private void check(String name, DestinationRequest d) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException(
                    "a destination name is 1 to 64 lower-case letters, digits and '-', starting with a letter or digit");
        }
        if (d.transport() == null
                || d.format() == null
                || d.address() == null
                || d.address().isBlank()) {
            throw new InvalidRequestException("a destination needs transport " + List.of(Transport.values())
                    + ", address and format " + List.of(StreamFormat.values()));
        }
        if (!FORMATS.get(d.transport()).contains(d.format())) {
            throw new InvalidRequestException(d.transport() + " carries the formats "
                    + FORMATS.get(d.transport()).stream().sorted().toList() + ", not " + d.format());
        }
        if (d.batchSize() < 1 || d.batchSize() > MAX_BATCH) {
            throw new InvalidRequestException("batchSize must be from 1 to " + MAX_BATCH + ", not " + d.batchSize());
        }
        if (d.address().length() > 1024) {
            throw new InvalidRequestException("the address is longer than 1024 characters");
        }
        try {
            switch (d.transport()) {
                case SYSLOG_TLS, SYSLOG_TCP -> SyslogSender.HostPort.parse(d.address());
                case WEBHOOK -> {
                    checkUrl(d.address());
                    secrets.signature(name);
                }
                case JMS_TOPIC -> {
                    if (!TOPIC.matcher(d.address()).matches()) {
                        throw new IllegalArgumentException(
                                "a topic name is 1 to 200 letters, digits, '.', '_' and '-', not '" + d.address()
                                        + "'");
                    }
                }
            }
            if (d.caCertificates() != null && d.caCertificates().length() > MAX_CERTIFICATES) {
                throw new IllegalArgumentException("caCertificates are "
                        + d.caCertificates().length() + " characters; at most " + MAX_CERTIFICATES);
            }
            if (d.caCertificates() != null) {
                if (d.transport() == Transport.SYSLOG_TCP || d.transport() == Transport.JMS_TOPIC) {
                    throw new IllegalArgumentException("caCertificates apply to SYSLOG_TLS and https webhooks only");
                }
                TlsTrust.trusting(d.caCertificates());
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static void checkUrl(String address) {
        URI url;
        try {
            url = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook address is not a URL: " + e.getMessage());
        }
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("the webhook address is an https:// (or http://) URL with a host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "the webhook address may not hold credentials; the receiver checks the signature instead");
        }
    }

    private DestinationStatus status(Destination d) {
        String secret = "not used";
        if (d.settings().transport() == Transport.WEBHOOK) {
            secret = secrets.configured(d.getName()) ? "configured" : "missing";
        }
        return d.status(backlog.of(d.getName()), delivery.lag(d.getName()), secret);
    }
}
