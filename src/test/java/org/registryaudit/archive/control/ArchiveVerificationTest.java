package org.registryaudit.archive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline verification of an archive directory, on archives written here by an independent
 * writer of the digest format (not DigestSigner): an intact chain verifies, and each kind of
 * tampering is named as the problem it is.
 */
class ArchiveVerificationTest {

    static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
    static final Duration PERIOD = Duration.ofMinutes(1);
    static KeyPair key;

    @TempDir
    Path root;

    /** The data files of the three periods: two plain, one compressed, and an empty period. */
    final List<List<String>> periods = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
    }

    @BeforeEach
    void archive() throws Exception {
        periods.add(List.of(data("a/y=2026/PT1H.json", 3, false), data("b/y=2026/PT1H.json", 1, false)));
        periods.add(List.of(data("a/y=2026/PT1H-2.json.gz", 5, true)));
        periods.add(List.of());
        writeChain(key);
    }

    @Test
    void anIntactChainVerifies() throws Exception {
        ArchiveVerification.Report report = verify(Set.of());
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(3, report.digests());
        assertEquals(3, report.files());
        assertEquals(9, report.records());
    }

    @Test
    void aChangedLineIsNamedWithItsFile() throws Exception {
        Path file = root.resolve(periods.get(0).get(0));
        Files.writeString(file, Files.readString(file).replace("record 1", "record X"));
        assertProblem("file " + periods.get(0).get(0) + " was changed: its SHA-256 is ");
    }

    @Test
    void aDeletedFileIsMissing() throws Exception {
        Files.delete(root.resolve(periods.get(1).get(0)));
        assertProblem("file " + periods.get(1).get(0) + " is missing (listed in " + digestPath(1) + ")");
    }

    @Test
    void aFileNoDigestListsWasSlippedInUnlessItIsPending() throws Exception {
        String extra = "insights-logs-x/resourceId=/REGISTRIES/r/PT1H-9.json";
        Files.createDirectories(root.resolve(extra).getParent());
        Files.writeString(root.resolve(extra), "{}\n");
        assertProblem("file " + extra + " is in no digest: it was slipped in");
        ArchiveVerification.Report pending = verify(Set.of(extra));
        assertTrue(pending.ok(), pending.problems().toString());
        assertEquals(List.of(extra), pending.pending());
    }

    @Test
    void aChangedDigestNoLongerMatchesItsSignature() throws Exception {
        Path digest = root.resolve(digestPath(0));
        Files.writeString(digest, Files.readString(digest).replace("\"records\":3", "\"records\":4"));
        assertProblem("digest " + digestPath(0) + " does not match its signature: it was changed");
    }

    @Test
    void aDeletedDigestBreaksTheChain() throws Exception {
        Files.delete(root.resolve(digestPath(1)));
        Files.delete(root.resolve(digestPath(1) + ".sig"));
        assertProblem("digest " + digestPath(1) + " is missing (the previous digest of " + digestPath(2) + ")");
    }

    @Test
    void aFileCountedWrongIsNamed() throws Exception {
        // a digest signed by the key that lists another record count than the file holds
        periods.clear();
        periods.add(List.of(data("c/PT1H.json", 2, false)));
        deleteDigests();
        writeChain(key, 7);
        assertProblem("file " + periods.get(0).get(0) + " holds 2 records, " + digestPath(0) + " lists 7");
    }

    @Test
    void anotherKeysChainDoesNotVerify() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        deleteDigests();
        writeChain(generator.generateKeyPair());
        ArchiveVerification.Report report = verify(Set.of());
        assertEquals(3, report.problems().size(), report.problems().toString());
        assertTrue(
                report.problems().stream().allMatch(p -> p.endsWith("does not match its signature: it was changed")));
    }

    @Test
    void signedTextIsCloudTrailsFourLines() {
        assertEquals("end\npath\nsha\n", ArchiveVerification.signedText("end", "path", "sha", null));
        assertEquals("end\npath\nsha\nprev", ArchiveVerification.signedText("end", "path", "sha", "prev"));
    }

    private void assertProblem(String start) throws Exception {
        ArchiveVerification.Report report = verify(Set.of());
        assertTrue(
                report.problems().stream().anyMatch(p -> p.startsWith(start)), start + " not in " + report.problems());
    }

    private ArchiveVerification.Report verify(Set<String> pending) throws Exception {
        return ArchiveVerification.verify(root, key.getPublic(), pending);
    }

    private String data(String name, int records, boolean gzip) throws Exception {
        String relative = "insights-logs-test/resourceId=/REGISTRIES/" + name;
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= records; i++) {
            lines.append("{\"record ").append(i).append("\":\"").append(name).append("\"}\n");
        }
        byte[] content = lines.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out =
                gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return relative;
    }

    private String digestPath(int period) {
        return ArchiveLayout.digestFile(START.plus(PERIOD.multipliedBy(period)));
    }

    private void deleteDigests() throws Exception {
        for (int i = 0; i < 3; i++) {
            Files.deleteIfExists(root.resolve(digestPath(i)));
            Files.deleteIfExists(root.resolve(digestPath(i) + ".sig"));
        }
    }

    private void writeChain(KeyPair signer) throws Exception {
        writeChain(signer, -1);
    }

    /** One digest per period, each chained to the one before; {@code records} >= 0 overrides every count. */
    private void writeChain(KeyPair signer, long records) throws Exception {
        String previousPath = null;
        String previousSha = null;
        String previousSignature = null;
        for (int i = 0; i < periods.size(); i++) {
            String path = digestPath(i);
            JsonArrayBuilder files = Json.createArrayBuilder();
            for (String file : periods.get(i)) {
                long[] lines = new long[1];
                String sha = ArchiveVerification.contentSha256(root.resolve(file), lines);
                files.add(Json.createObjectBuilder()
                        .add("path", file)
                        .add("sha256", sha)
                        .add("records", records >= 0 ? records : lines[0]));
            }
            String end = START.plus(PERIOD.multipliedBy(i + 1)).toString();
            JsonObjectBuilder digest = Json.createObjectBuilder()
                    .add("digestStartTime", START.plus(PERIOD.multipliedBy(i)).toString())
                    .add("digestEndTime", end)
                    .add("digestPath", path)
                    .add("files", files);
            if (previousPath != null) {
                digest.add("previousDigestPath", previousPath)
                        .add("previousDigestSha256", previousSha)
                        .add("previousDigestSignature", previousSignature);
            }
            byte[] bytes = digest.build().toString().getBytes(StandardCharsets.UTF_8);
            String sha = HexFormat.of().formatHex(Archiver.sha256().digest(bytes));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(signer.getPrivate());
            rsa.update(ArchiveVerification.signedText(end, path, sha, previousSignature)
                    .getBytes(StandardCharsets.UTF_8));
            String signature = Base64.getEncoder().encodeToString(rsa.sign());
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            Files.writeString(file.resolveSibling("digest.json.sig"), signature);
            previousPath = path;
            previousSha = sha;
            previousSignature = signature;
        }
    }
}
