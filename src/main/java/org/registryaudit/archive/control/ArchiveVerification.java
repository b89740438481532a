package org.registryaudit.archive.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * Walks the digest chain of an archive directory and names every problem: a digest whose
 * signature does not verify (changed), a link to a previous digest that is missing or differs
 * (deleted or replaced), a gap between digests, a listed file that is missing, changed (SHA-256
 * of the uncompressed content) or holds another number of records, and a data file that no digest
 * lists (slipped in). Needs nothing but the directory and the public key, so it also runs without
 * the server:
 *
 * <pre>java -cp "target/classes:target/runtime/verify/*" org.registryaudit.archive.control.ArchiveVerification
 *     ARCHIVE_DIR [--public-key PEM_FILE] [--pending PATH ...]</pre>
 */
public final class ArchiveVerification {

    /**
     * @param pending files delivered after the last digest: covered by the next one, not an error
     */
    public record Report(int digests, int files, long records, List<String> problems, List<String> pending) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ArchiveVerification() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ArchiveVerification ARCHIVE_DIR [--public-key PEM_FILE] [--pending PATH ...]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        Path keyFile = root.resolve(ArchiveLayout.PUBLIC_KEY);
        Set<String> pending = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--public-key") && i + 1 < args.length) {
                keyFile = Path.of(args[++i]);
            } else if (args[i].equals("--pending") && i + 1 < args.length) {
                pending.add(args[++i]);
            }
        }
        Report report = verify(root, publicKey(Files.readString(keyFile)), pending);
        System.out.printf(
                "%d digests, %d files, %,d records checked%n", report.digests(), report.files(), report.records());
        report.pending().forEach(p -> System.out.println("pending (delivered after the last digest): " + p));
        report.problems().forEach(p -> System.out.println("PROBLEM: " + p));
        System.out.println(report.ok() ? "archive verified" : report.problems().size() + " problem(s)");
        System.exit(report.ok() ? 0 : 1);
    }

    public static Report verify(Path root, PublicKey key, Collection<String> pendingPaths) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> digestFiles;
        Path digestRoot = root.resolve(ArchiveLayout.DIGESTS);
        try (Stream<Path> walk = Files.exists(digestRoot) ? Files.walk(digestRoot) : Stream.empty()) {
            digestFiles = walk.filter(p -> p.getFileName().toString().equals("digest.json"))
                    .sorted()
                    .toList();
        }
        Set<String> listed = new HashSet<>();
        int files = 0;
        long records = 0;
        JsonObject previous = null;
        String previousPath = null;
        byte[] previousBytes = null;
        String previousSignature = null;
        for (Path digestFile : digestFiles) {
            String path = root.relativize(digestFile).toString();
            byte[] bytes = Files.readAllBytes(digestFile);
            String sha256 = HexFormat.of().formatHex(Archiver.sha256().digest(bytes));
            JsonObject digest;
            try (JsonReader reader = Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
                digest = reader.readObject();
            } catch (RuntimeException e) {
                problems.add("digest " + path + " is not readable JSON: it was changed");
                continue;
            }
            Path signatureFile = digestFile.resolveSibling("digest.json.sig");
            String signature = Files.exists(signatureFile)
                    ? Files.readString(signatureFile).strip()
                    : null;
            String claimedPrevious = text(digest, "previousDigestSignature");
            if (signature == null) {
                problems.add("digest " + path + " has no signature file digest.json.sig");
            } else if (!path.equals(text(digest, "digestPath"))
                    || !verifies(
                            key, signedText(text(digest, "digestEndTime"), path, sha256, claimedPrevious), signature)) {
                problems.add("digest " + path + " does not match its signature: it was changed");
            }
            if (previous == null) {
                if (text(digest, "previousDigestPath") != null) {
                    problems.add("digest " + text(digest, "previousDigestPath") + " is missing (the previous digest of "
                            + path + ")");
                }
            } else {
                String expectedPrevious = text(digest, "previousDigestPath");
                if (!previousPath.equals(expectedPrevious)) {
                    problems.add("digest " + expectedPrevious + " is missing (the previous digest of " + path + ")");
                } else if (!HexFormat.of()
                                .formatHex(Archiver.sha256().digest(previousBytes))
                                .equals(text(digest, "previousDigestSha256"))
                        || !String.valueOf(previousSignature).equals(claimedPrevious)) {
                    problems.add(
                            "digest " + previousPath + " differs from what " + path + " chains to: it was replaced");
                }
                if (!text(previous, "digestEndTime").equals(text(digest, "digestStartTime"))
                        && previousPath.equals(expectedPrevious)) {
                    problems.add("no digest covers " + text(previous, "digestEndTime") + " to "
                            + text(digest, "digestStartTime"));
                }
            }
            for (JsonValue value : digest.getJsonArray("files")) {
                JsonObject file = value.asJsonObject();
                String filePath = file.getString("path");
                listed.add(filePath);
                files++;
                Path data = root.resolve(filePath);
                if (!Files.exists(data)) {
                    problems.add("file " + filePath + " is missing (listed in " + path + ")");
                    continue;
                }
                long[] lines = new long[1];
                String actual = contentSha256(data, lines);
                if (!actual.equals(file.getString("sha256"))) {
                    problems.add("file " + filePath + " was changed: its SHA-256 is " + actual + ", " + path + " lists "
                            + file.getString("sha256"));
                } else if (lines[0] != file.getJsonNumber("records").longValue()) {
                    problems.add("file " + filePath + " holds " + lines[0] + " records, " + path + " lists "
                            + file.getJsonNumber("records").longValue());
                }
                records += lines[0];
            }
            previous = digest;
            previousPath = path;
            previousBytes = bytes;
            previousSignature = signature;
        }
        List<String> pending = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path data : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = root.relativize(data).toString();
                if (!relative.startsWith("insights-logs-") || listed.contains(relative)) {
                    continue;
                }
                if (pendingPaths.contains(relative)) {
                    pending.add(relative);
                } else if (relative.endsWith(".tmp")) {
                    continue; // an archive run's unfinished file, never listed and rewritten by the next run
                } else {
                    problems.add("file " + relative + " is in no digest: it was slipped in");
                }
            }
        }
        return new Report(digestFiles.size(), files, records, problems, pending);
    }

    /** What a digest's signature covers, as CloudTrail signs its digests. */
    static String signedText(String endTime, String path, String sha256, String previousSignature) {
        return endTime + "\n" + path + "\n" + sha256 + "\n" + (previousSignature == null ? "" : previousSignature);
    }

    /** SHA-256 of the uncompressed content and its number of lines. */
    static String contentSha256(Path file, long[] lines) throws IOException {
        MessageDigest sha = Archiver.sha256();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = new DigestInputStream(
                        file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw, sha);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 65536)) {
            while (reader.readLine() != null) {
                lines[0]++;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String fingerprint(PublicKey key) {
        return HexFormat.of().formatHex(Archiver.sha256().digest(key.getEncoded()));
    }

    public static PublicKey publicKey(String pem) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM: " + e.getMessage(), e);
        }
    }

    private static boolean verifies(PublicKey key, String text, String signature) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update(text.getBytes(StandardCharsets.UTF_8));
            return rsa.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : object.getString(name);
    }
}
