package org.registryaudit.auth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenIssuerTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void keysInATemporaryDirectory() {
        System.setProperty(
                "registry-audit.token.key-file", dir.resolve("key.pem").toString());
        System.setProperty(
                "registry-audit.token.certificate-file", dir.resolve("cert.pem").toString());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("registry-audit.token.key-file");
        System.clearProperty("registry-audit.token.certificate-file");
    }

    static TokenIssuer issuer(boolean x5c) {
        TokenIssuer issuer = new TokenIssuer();
        issuer.clock = java.time.Clock.systemUTC();
        issuer.issuer = "registry-audit";
        issuer.lifetimeSeconds = 300;
        issuer.x5c = x5c;
        return issuer;
    }

    @Test
    void signsInTheRegistryFormatAndVerifiesWithTheCertificate() throws Exception {
        List<Map<String, Object>> access =
                List.of(Map.of("type", "repository", "name", "a/b", "actions", List.of("pull")));
        String token = issuer(true)
                .issue("alice", List.of("auditor"), "registry.example.com", access)
                .token();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        TokenKeys.Key current = TokenKeys.current();
        assertEquals(current.certificate(), jws.getCertificateChainHeaderValue().get(0), "x5c holds the certificate");
        assertEquals(current.kid(), jws.getKeyIdHeaderValue());
        jws.setKey(current.certificate().getPublicKey());
        assertTrue(jws.verifySignature());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals("registry.example.com", claims.getClaimValue("aud"), "aud is a plain string");
        assertEquals("alice", claims.getSubject());
        assertEquals(
                300,
                claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());

        String anonymous = issuer(false)
                .issue(null, List.of(), "registry.example.com", List.of())
                .token();
        jws.setCompactSerialization(anonymous);
        assertEquals(null, jws.getCertificateChainHeaderValue());
        JwtClaims anonymousClaims = JwtClaims.parse(jws.getUnverifiedPayload());
        assertEquals("anonymous", anonymousClaims.getSubject(), "a caller name no user can have");
        assertFalse(anonymousClaims.hasClaim("upn"));
    }
}
