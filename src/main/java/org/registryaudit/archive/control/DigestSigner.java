package org.registryaudit.archive.control;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.transaction.UserTransaction;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.auth.control.SigningKey;
import org.registryaudit.platform.control.DataDirectory;

/**
 * Writes one signed digest per period of delivery (an hour by default), as CloudTrail does for its
 * log files: the files delivered in that period with their SHA-256 (of the uncompressed content),
 * record counts and event times, and the previous digest's path, hash and signature, so that the
 * digests form a chain. A digest is written for every period, empty ones included, so that a
 * deleted file, a deleted digest or a gap shows when the chain is walked. The signature
 * (SHA256withRSA, by the archive key {@code archive-key.pem} in the data directory) is over
 * {@code endTime \n path \n sha256(digest) \n previousSignature} and lies beside the digest in
 * {@code digest.json.sig}. Digests are deterministic, so one rewritten after a crash is identical.
 */
@ApplicationScoped
public class DigestSigner {

    private static final JsonGeneratorFactory JSON =
            JsonProvider.provider().createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
    /** At most this many periods per run: a long outage is caught up over several runs. */
    private static final int MAX_PER_RUN = 5_000;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Resource
    UserTransaction transaction;

    @Inject
    ArchiveDirectory directory;

    @Inject
    ArchiveProgress progress;

    @Inject
    @ConfigProperty(name = "registry-audit.archive.digest-minutes")
    int digestMinutes;

    private KeyPair key;

    synchronized KeyPair key() {
        if (key == null) {
            key = SigningKey.loadOrCreate(DataDirectory.get().resolve("archive-key.pem"));
        }
        return key;
    }

    public PublicKey publicKey() {
        return key().getPublic();
    }

    public Duration period() {
        return Duration.ofMinutes(digestMinutes);
    }

    private record Previous(Instant start, String path, String sha256, String signature) {}

    /** Writes the digests of every period that has ended since the last one. */
    public void writeDue(Instant now) throws Exception {
        writePublicKey();
        Previous previous = last();
        Instant start = previous != null ? previous.start().plus(period()) : firstDelivery();
        for (int i = 0; start != null && !start.plus(period()).isAfter(now) && i < MAX_PER_RUN; i++) {
            previous = write(start, previous);
            progress.digest();
            start = start.plus(period());
        }
    }

    /** The public key that verifies the digests, as PEM. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(publicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private void writePublicKey() throws IOException {
        Path file = directory.root().resolve(ArchiveLayout.PUBLIC_KEY);
        String pem = publicKeyPem();
        if (!Files.exists(file) || !Files.readString(file).equals(pem)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pem);
        }
    }

    private Previous last() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT DigestHour, "
                                + "Path, Sha256, Signature FROM ArchiveDigests ORDER BY DigestHour DESC FETCH FIRST 1 ROWS ONLY");
                ResultSet row = s.executeQuery()) {
            return row.next()
                    ? new Previous(
                            row.getObject(1, OffsetDateTime.class).toInstant(),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4))
                    : null;
        }
    }

    private Instant firstDelivery() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT MIN(DeliveredAt) FROM ArchivedFiles");
                ResultSet row = s.executeQuery()) {
            OffsetDateTime first = row.next() ? row.getObject(1, OffsetDateTime.class) : null;
            return first == null ? null : ArchiveLayout.floor(first.toInstant(), period());
        }
    }

    private Previous write(Instant start, Previous previous) throws Exception {
        Instant end = start.plus(period());
        String path = ArchiveLayout.digestFile(start);
        StringWriter text = new StringWriter();
        int files = 0;
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject()
                    .write("digestStartTime", iso(start))
                    .write("digestEndTime", iso(end))
                    .write("digestPath", path)
                    .write("publicKeyFingerprint", ArchiveVerification.fingerprint(publicKey()));
            if (previous == null) {
                json.writeNull("previousDigestPath")
                        .writeNull("previousDigestSha256")
                        .writeNull("previousDigestSignature");
            } else {
                json.write("previousDigestPath", previous.path())
                        .write("previousDigestSha256", previous.sha256())
                        .write("previousDigestSignature", previous.signature());
            }
            json.writeStartArray("files");
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement("SELECT Path, "
                            + "Category, LoginServer, Sha256, Records, Bytes, OldestTime, NewestTime FROM ArchivedFiles "
                            + "WHERE DeliveredAt >= ? AND DeliveredAt < ? ORDER BY Id")) {
                s.setObject(1, Archiver.utc(start));
                s.setObject(2, Archiver.utc(end));
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        files++;
                        json.writeStartObject()
                                .write("path", rows.getString(1))
                                .write("category", rows.getString(2))
                                .write("loginServer", rows.getString(3))
                                .write("sha256", rows.getString(4))
                                .write("records", rows.getLong(5))
                                .write("bytes", rows.getLong(6))
                                .write(
                                        "oldestEventTime",
                                        iso(rows.getObject(7, OffsetDateTime.class)
                                                .toInstant()))
                                .write(
                                        "newestEventTime",
                                        iso(rows.getObject(8, OffsetDateTime.class)
                                                .toInstant()))
                                .writeEnd();
                    }
                }
            }
            json.writeEnd().writeEnd();
        }
        byte[] content = (text + "\n").getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(Archiver.sha256().digest(content));
        String signature = sign(
                key().getPrivate(),
                ArchiveVerification.signedText(iso(end), path, sha256, previous == null ? null : previous.signature()));
        Path file = directory.root().resolve(path);
        Files.createDirectories(file.getParent());
        atomicWrite(file.resolveSibling("digest.json.sig"), signature.getBytes(StandardCharsets.US_ASCII));
        atomicWrite(file, content);
        int listed = files;
        Transactions.inside(transaction, () -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "INSERT INTO "
                                    + "ArchiveDigests (DigestHour, Path, Sha256, Signature, Files, CreatedAt) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setObject(1, Archiver.utc(start));
                s.setString(2, path);
                s.setString(3, sha256);
                s.setString(4, signature);
                s.setInt(5, listed);
                s.setObject(6, Archiver.utc(clock.instant()));
                return s.executeUpdate();
            }
        });
        return new Previous(start, path, sha256, signature);
    }

    static String iso(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time);
    }

    private static String sign(PrivateKey key, String text) throws GeneralSecurityException {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(rsa.sign());
    }

    private static void atomicWrite(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
