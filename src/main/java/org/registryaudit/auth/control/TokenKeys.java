package org.registryaudit.auth.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.registryaudit.platform.control.DataDirectory;
import org.registryaudit.platform.control.Secrets;

/**
 * The token signing keys and their rotation without downtime. The current key signs; a next key,
 * once prepared, is already trusted (in the certificate bundle of {@code /auth/certificate} and in
 * the keys MicroProfile JWT verifies with), so registries can take the new bundle before it signs
 * anything; promoting it makes it current and keeps the old one trusted as previous for
 * {@link #PREVIOUS_TRUSTED_FOR}, or until it is retired, so tokens it signed stay valid.
 *
 * <p>Files: the current key is {@code registry-audit.token.key-file} /
 * {@code REGISTRY_AUDIT_TOKEN_KEY_FILE}, else {@code token-key.pem} in the data directory; its
 * certificate {@code registry-audit.token.certificate-file} /
 * {@code REGISTRY_AUDIT_TOKEN_CERTIFICATE_FILE}, else {@code token-cert.pem}; next and previous sit
 * beside them as {@code *.next.pem} and {@code *.previous.pem}. Each step writes whole files
 * atomically and can be repeated after a crash.
 */
public final class TokenKeys {

    public static final Duration PREVIOUS_TRUSTED_FOR = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(TokenKeys.class.getName());

    public enum Stage {
        CURRENT(""),
        NEXT(".next"),
        PREVIOUS(".previous");

        private final String suffix;

        Stage(String suffix) {
            this.suffix = suffix;
        }
    }

    /** One key with its certificate, and since when it holds its stage. */
    public record Key(Stage stage, KeyPair pair, X509Certificate certificate, Instant since, String kid) {

        Key(Stage stage, KeyPair pair, X509Certificate certificate, Instant since) {
            this(stage, pair, certificate, since, SigningKey.libtrustKeyId(pair.getPublic()));
        }

        boolean trusted(Instant now) {
            return stage != Stage.PREVIOUS || since.plus(PREVIOUS_TRUSTED_FOR).isAfter(now);
        }
    }

    private static volatile Map<Stage, Key> keys;

    private TokenKeys() {}

    /** The key that signs new tokens. */
    public static Key current() {
        return loaded().get(Stage.CURRENT);
    }

    /** Every key a token may be signed with now: current, next, and previous while it is trusted. */
    public static List<Key> trusted() {
        Instant now = Instant.now();
        return loaded().values().stream().filter(k -> k.trusted(now)).toList();
    }

    /** The certificates of the trusted keys, current first, as a PEM bundle for a registry's rootcertbundle. */
    public static String certificateBundle() {
        return trusted().stream().map(k -> SigningKey.pem(k.certificate())).collect(Collectors.joining());
    }

    /**
     * What MicroProfile JWT verifies with: the trusted key as PEM while there is one, else the JWKS.
     * Payara re-reads the value into a key on every request, and a JWKS costs it a failed PEM
     * attempt (an exception), a JSON provider lookup and a parse each time, a tenth of a changefeed
     * request (JFR). A PEM key carries no key id, so {@code TokenChecks} checks the token's.
     */
    public static String verificationKeys() {
        List<Key> trusted = trusted();
        return trusted.size() == 1
                ? SigningKey.pem("PUBLIC KEY", trusted.get(0).pair().getPublic().getEncoded())
                : jwks();
    }

    /** Whether a token naming this key id may be trusted. */
    public static boolean trusts(String kid) {
        return trusted().stream().anyMatch(k -> k.kid().equals(kid));
    }

    /** The trusted keys as a JSON Web Key Set, for MicroProfile JWT. */
    public static String jwks() {
        return trusted().stream()
                .map(k -> SigningKey.jwk(k.pair().getPublic()))
                .collect(Collectors.joining(",", "{\"keys\":[", "]}"));
    }

    private static List<Key> all() {
        return List.copyOf(loaded().values());
    }

    /** Creates the next key; false if there already is one. */
    public static synchronized boolean prepareNext() {
        if (loaded().containsKey(Stage.NEXT)) {
            return false;
        }
        KeyPair pair = SigningKey.loadOrCreate(keyFile(Stage.NEXT));
        SigningKey.loadOrCreateCertificate(certificateFile(Stage.NEXT), pair);
        LOG.log(
                System.Logger.Level.INFO,
                "Prepared the next token signing key {0}",
                SigningKey.libtrustKeyId(pair.getPublic()));
        keys = null;
        return true;
    }

    /** Makes the next key current and the current one previous; false if no next key was prepared. */
    public static synchronized boolean promoteNext() {
        Map<Stage, Key> now = loaded();
        Key next = now.get(Stage.NEXT);
        if (next == null) {
            return false;
        }
        try {
            if (!next.pair().getPublic().equals(now.get(Stage.CURRENT).pair().getPublic())) {
                copy(Stage.CURRENT, Stage.PREVIOUS);
                copy(Stage.NEXT, Stage.CURRENT);
            }
            Files.deleteIfExists(keyFile(Stage.NEXT));
            Files.deleteIfExists(certificateFile(Stage.NEXT));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot promote the next token signing key", e);
        } finally {
            keys = null;
        }
        LOG.log(System.Logger.Level.INFO, "Token signing key {0} is now current", next.kid());
        return true;
    }

    /** Stops trusting the previous key at once; false if there is none. */
    public static synchronized boolean retirePrevious() {
        try {
            boolean existed = Files.deleteIfExists(keyFile(Stage.PREVIOUS));
            Files.deleteIfExists(certificateFile(Stage.PREVIOUS));
            return existed;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot retire the previous token signing key", e);
        } finally {
            keys = null;
        }
    }

    private static void copy(Stage from, Stage to) throws IOException {
        Secrets.writePrivate(keyFile(to), Files.readString(keyFile(from)));
        Secrets.writePrivate(certificateFile(to), Files.readString(certificateFile(from)));
    }

    private static Map<Stage, Key> loaded() {
        Map<Stage, Key> current = keys;
        if (current == null) {
            synchronized (TokenKeys.class) {
                if (keys == null) {
                    keys = load();
                }
                current = keys;
            }
        }
        return current;
    }

    private static Map<Stage, Key> load() {
        Map<Stage, Key> loaded = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            Path keyFile = keyFile(stage);
            if (stage != Stage.CURRENT && !Files.exists(keyFile)) {
                continue;
            }
            KeyPair pair = SigningKey.loadOrCreate(keyFile);
            X509Certificate certificate = SigningKey.loadOrCreateCertificate(certificateFile(stage), pair);
            Instant since;
            try {
                since = Files.getLastModifiedTime(keyFile).toInstant();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded.put(stage, new Key(stage, pair, certificate, since));
        }
        return loaded;
    }

    static Path keyFile(Stage stage) {
        return staged(
                configured("registry-audit.token.key-file", "REGISTRY_AUDIT_TOKEN_KEY_FILE", "token-key.pem"), stage);
    }

    static Path certificateFile(Stage stage) {
        return staged(
                configured(
                        "registry-audit.token.certificate-file",
                        "REGISTRY_AUDIT_TOKEN_CERTIFICATE_FILE",
                        "token-cert.pem"),
                stage);
    }

    private static Path configured(String property, String variable, String defaultName) {
        String configured = System.getProperty(property, System.getenv(variable));
        return configured != null && !configured.isBlank()
                ? Paths.get(configured)
                : DataDirectory.get().resolve(defaultName);
    }

    /** {@code token-key.pem} → {@code token-key.next.pem}; a name without {@code .pem} gets the suffix appended. */
    static Path staged(Path file, Stage stage) {
        String name = file.getFileName().toString();
        String staged = name.endsWith(".pem")
                ? name.substring(0, name.length() - 4) + stage.suffix + ".pem"
                : name + stage.suffix;
        return file.resolveSibling(staged);
    }

    /** A key as the admin API lists it. */
    public record KeyInfo(String stage, String kid, Instant since, Instant certificateNotAfter, Instant trustedUntil) {}

    public static List<KeyInfo> describe() {
        return all().stream()
                .map(k -> new KeyInfo(
                        k.stage().name().toLowerCase(Locale.ROOT),
                        k.kid(),
                        k.since(),
                        k.certificate().getNotAfter().toInstant(),
                        k.stage() == Stage.PREVIOUS ? k.since().plus(PREVIOUS_TRUSTED_FOR) : null))
                .toList();
    }
}
