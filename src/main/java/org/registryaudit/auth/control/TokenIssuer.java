package org.registryaudit.auth.control;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Issues RS256 tokens in the Docker registry token format (iss, aud as a string, sub, exp, nbf,
 * iat, jti, access, and the libtrust fingerprint as kid) that also carry the MicroProfile JWT
 * claims (upn, groups), so one token serves a registry and this service's APIs. An anonymous
 * token has the subject {@code anonymous}, which no user can have, and no upn. With {@code registry-audit.token.x5c} the header also carries the
 * certificate ({@code x5c}).
 */
@ApplicationScoped
public class TokenIssuer {

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "registry-audit.token.lifetime-seconds")
    long lifetimeSeconds;

    @Inject
    @ConfigProperty(name = "registry-audit.token.x5c")
    boolean x5c;

    public record IssuedToken(String token, String jwtId, long expiresIn, Instant issuedAt) {}

    public IssuedToken issue(String subject, List<String> groups, String audience, List<Map<String, Object>> access) {
        Instant now = clock.instant();
        String jwtId = UUID.randomUUID().toString();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        if (subject != null) {
            claims.setSubject(subject);
            claims.setClaim("upn", subject);
        } else {
            // MicroProfile JWT refuses a token without a caller name (Payara: also an empty one), and
            // 'anonymous' can be no user's name (UserDirectory)
            claims.setSubject(UserDirectory.ANONYMOUS);
        }
        claims.setStringListClaim("groups", groups);
        claims.setClaim("access", access);
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(org.jose4j.jwt.NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now.getEpochSecond() + lifetimeSeconds));
        claims.setJwtId(jwtId);
        TokenKeys.Key current = TokenKeys.current();
        KeyPair key = current.pair();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        jws.setKeyIdHeaderValue(SigningKey.libtrustKeyId(key.getPublic()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        if (x5c) {
            jws.setCertificateChainHeaderValue(current.certificate());
        }
        try {
            return new IssuedToken(jws.getCompactSerialization(), jwtId, lifetimeSeconds, now);
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }
}
