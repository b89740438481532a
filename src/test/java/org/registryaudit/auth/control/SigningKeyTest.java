package org.registryaudit.auth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.registryaudit.problems.boundary.InvalidRequestException;

class SigningKeyTest {

    @Test
    void base32FollowsRfc4648() {
        byte[] thirty = new byte[30];
        for (int i = 0; i < 30; i++) {
            thirty[i] = (byte) i;
        }
        assertEquals("AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5", SigningKey.base32(thirty));
        assertEquals("MZXW6YTB", SigningKey.base32("fooba".getBytes()));
    }

    @Test
    void createsTheKeyOnceAndReadsItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/token-key.pem");
        KeyPair created = SigningKey.loadOrCreate(file);
        KeyPair read = SigningKey.loadOrCreate(file);
        assertEquals(created.getPublic(), read.getPublic());
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String kid = SigningKey.libtrustKeyId(read.getPublic());
        assertTrue(kid.matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}"), kid);
    }

    @Test
    void certifiesTheKeyAndRenewsACertificateOfAnotherKey(@TempDir Path dir) throws Exception {
        KeyPair key = SigningKey.loadOrCreate(dir.resolve("token-key.pem"));
        Path file = dir.resolve("token-cert.pem");
        X509Certificate certificate = SigningKey.loadOrCreateCertificate(file, key);
        certificate.verify(key.getPublic());
        certificate.checkValidity();
        assertEquals(key.getPublic(), certificate.getPublicKey());
        assertEquals(certificate, SigningKey.loadOrCreateCertificate(file, key));
        KeyPair other = SigningKey.loadOrCreate(dir.resolve("other-key.pem"));
        X509Certificate renewed = SigningKey.loadOrCreateCertificate(file, other);
        assertEquals(other.getPublic(), renewed.getPublicKey());
    }

    @Test
    void stagedFilesSitBesideTheConfiguredOnes() {
        assertEquals(
                Path.of("/k/token-key.next.pem"), TokenKeys.staged(Path.of("/k/token-key.pem"), TokenKeys.Stage.NEXT));
        assertEquals(Path.of("/k/key.previous"), TokenKeys.staged(Path.of("/k/key"), TokenKeys.Stage.PREVIOUS));
        assertEquals(Path.of("/k/key.pem"), TokenKeys.staged(Path.of("/k/key.pem"), TokenKeys.Stage.CURRENT));
    }

    @Test
    void refusesAFileThatIsNotAKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SigningKey.loadOrCreate(file));
        assertTrue(e.getMessage().contains("is not an RSA key in PKCS#8 PEM"));
    }

    @Test
    void parsesScopesWhoseNameHoldsAPort() {
        assertEquals(
                new Scope("repository", "localhost:5000/library/alpine", List.of("pull", "push")),
                Scope.parse("repository:localhost:5000/library/alpine:pull,push"));
        assertEquals(new Scope("registry", "catalog", List.of("*")), Scope.parse("registry:catalog:*"));
        assertThrows(InvalidRequestException.class, () -> Scope.parse("repository:alpine"));
        assertThrows(InvalidRequestException.class, () -> Scope.parse("repository::pull"));
    }
}
