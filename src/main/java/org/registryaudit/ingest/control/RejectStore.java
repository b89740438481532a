package org.registryaudit.ingest.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.registryaudit.ingest.entity.RejectedMessage;
import org.registryaudit.platform.entity.Columns;

/** Keeps rejected messages; the same body rejected for the same reason is kept once. */
@Stateless
public class RejectStore {

    private static final System.Logger LOG = System.getLogger(RejectStore.class.getName());

    @Inject
    Clock clock;

    @PersistenceContext
    EntityManager em;

    /** How many rejected messages are kept (the service's figures show it). */
    public long count() {
        return em.createQuery("select count(r) from RejectedMessage r", Long.class)
                .getSingleResult();
    }

    public void record(IncomingMessage message, String body, String reason) {
        String fingerprint = fingerprint(body, reason);
        boolean known = !em.createQuery("select r.id from RejectedMessage r where r.fingerprint = :f", Long.class)
                .setParameter("f", fingerprint)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
        if (known) {
            return;
        }
        RejectedMessage rejected = new RejectedMessage(
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                message.source(),
                message.messageId(),
                message.contentType(),
                message.loginServer(),
                reason,
                fingerprint,
                body);
        em.persist(rejected);
        LOG.log(
                System.Logger.Level.WARNING,
                "Rejected message {0} from {1}: {2}",
                Columns.oneLine(message.messageId()),
                Columns.oneLine(message.source()),
                Columns.oneLine(reason));
    }

    static String fingerprint(String body, String reason) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(body.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(reason.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
