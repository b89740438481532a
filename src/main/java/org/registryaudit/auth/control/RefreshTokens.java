package org.registryaudit.auth.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.auth.entity.RefreshToken;

/**
 * Refresh tokens (the OAuth2 form of the Docker token protocol): 256 random bits given to the
 * client once, kept here only as their SHA-256, in the database so that every server honours them.
 * A token lasts {@code registry-audit.token.refresh-lifetime-seconds} from its issue, and ends
 * earlier when it is revoked, when its user is deleted or given a new password. A user has at most
 * {@link #PER_USER} of them; a new one beyond that ends the oldest.
 */
@Stateless
public class RefreshTokens {

    static final int PER_USER = 100;

    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "registry-audit.token.refresh-lifetime-seconds")
    long lifetimeSeconds;

    /** A new refresh token for the user, given by this client. */
    public String issue(String userName, String clientId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        em.createQuery("delete from RefreshToken t where t.userName = :user and t.expiresAt < :now")
                .setParameter("user", userName)
                .setParameter("now", now)
                .executeUpdate();
        List<RefreshToken> kept = em.createQuery(
                        "select t from RefreshToken t where t.userName = :user order by t.issuedAt desc",
                        RefreshToken.class)
                .setParameter("user", userName)
                .setFirstResult(PER_USER - 1)
                .getResultList();
        kept.forEach(em::remove);
        em.persist(
                new RefreshToken(hash(token), userName, clientId, now, now.plus(Duration.ofSeconds(lifetimeSeconds))));
        return token;
    }

    /** The user whose token this is, while it is valid. */
    public Optional<RefreshToken> find(String token) {
        if (token == null || token.isBlank() || token.length() > 256) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(RefreshToken.class, hash(token)))
                .filter(t -> t.getExpiresAt().isAfter(clock.instant()));
    }

    /** Ends the token (RFC 7009: unknown tokens are no error). */
    public void revoke(String token) {
        if (token != null && token.length() <= 256) {
            Optional.ofNullable(em.find(RefreshToken.class, hash(token))).ifPresent(em::remove);
        }
    }

    /** Ends every refresh token of the user. */
    public void revokeAll(String userName) {
        em.createQuery("delete from RefreshToken t where t.userName = :user")
                .setParameter("user", userName)
                .executeUpdate();
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
