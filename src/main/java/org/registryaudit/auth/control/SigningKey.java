package org.registryaudit.auth.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jose4j.jwk.RsaJsonWebKey;
import org.registryaudit.platform.control.Secrets;

/**
 * The files and formats of a token signing key: an RSA key as a PKCS#8 PEM file, created when
 * missing; its self-signed certificate, created when missing or not matching the key; its libtrust
 * key id and its JSON Web Key. {@link TokenKeys} says which keys there are.
 */
public final class SigningKey {

    private static final System.Logger LOG = System.getLogger(SigningKey.class.getName());

    private SigningKey() {}

    static X509Certificate loadOrCreateCertificate(Path file, KeyPair key) {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    X509Certificate existing = (X509Certificate) x509.generateCertificate(in);
                    if (existing.getPublicKey().equals(key.getPublic())) {
                        return existing;
                    }
                }
                LOG.log(
                        System.Logger.Level.WARNING,
                        "The token certificate {0} is not of the signing key; " + "creating a new one",
                        file);
            }
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=Registry Audit token signer");
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                            subject,
                            BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now.minus(1, ChronoUnit.DAYS)),
                            Date.from(now.plus(3650, ChronoUnit.DAYS)),
                            subject,
                            key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
            Secrets.writePrivate(file, pem("CERTIFICATE", holder.getEncoded()));
            LOG.log(System.Logger.Level.INFO, "Created the token certificate {0}", file);
            return (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the token certificate " + file, e);
        } catch (GeneralSecurityException | OperatorCreationException | ClassCastException e) {
            throw new IllegalStateException("Cannot read or create the token certificate " + file, e);
        }
    }

    public static KeyPair loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair created = generator.generateKeyPair();
                Secrets.writePrivate(
                        file, pem("PRIVATE KEY", created.getPrivate().getEncoded()));
                LOG.log(System.Logger.Level.INFO, "Created the token signing key {0}", file);
            }
            String pem = Files.readString(file, StandardCharsets.UTF_8)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            PublicKey publicKey =
                    rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new KeyPair(publicKey, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the token signing key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("The token signing key " + file + " is not an RSA key in PKCS#8 PEM", e);
        }
    }

    /** The public key as a JSON Web Key: RS256, for signatures, its libtrust id as kid. */
    static String jwk(PublicKey key) {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key);
        jwk.setKeyId(libtrustKeyId(key));
        jwk.setAlgorithm("RS256");
        jwk.setUse("sig");
        return jwk.toJson();
    }

    static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("Cannot encode the token certificate", e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * The libtrust key id that docker-registry expects in the token's {@code kid}: SHA-256 of the DER
     * SubjectPublicKeyInfo, first 30 bytes, base32 without padding, in 12 groups of 4 joined by ':'.
     */
    public static String libtrustKeyId(PublicKey key) {
        try {
            byte[] hash = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 30);
            String base32 = base32(hash);
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < base32.length(); i += 4) {
                if (i > 0) {
                    id.append(':');
                }
                id.append(base32, i, i + 4);
            }
            return id.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** RFC 4648 base32; 30 bytes give exactly 48 characters, so there is never padding. */
    static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        BigInteger bits = new BigInteger(1, data);
        int chars = data.length * 8 / 5;
        StringBuilder out = new StringBuilder(chars);
        for (int i = chars - 1; i >= 0; i--) {
            out.append(alphabet.charAt(
                    bits.shiftRight(i * 5 + (data.length * 8) % 5).intValue() & 31));
        }
        return out.toString();
    }
}
