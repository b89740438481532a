package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The archive on the production shape (Payara Micro, PostgreSQL, standalone Artemis; gzip on,
 * digests every minute): events with old timestamps, sent as a producer would, move to the archive
 * and leave the database; the files, the digest chain and the database agree; verification passes
 * through the API and through the offline command, and then names one changed line, one deleted
 * file and one deleted digest precisely. Then kill -9 in the middle of a large backlog: after the
 * restart, database plus archive hold every record exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveST {

    static final String SERVER = "archive-st.example.com";
    static final String BACKLOG_SERVER = "backlog-st.example.com";
    static final int BACKLOG = 200_000;
    static ProductionStack stack;
    static Path archive;

    @BeforeAll
    static void start() throws Exception {
        stack = ProductionStack.start(
                "registry_audit_archive_st",
                Map.of(
                        "REGISTRY_AUDIT_ARCHIVE_INTERVAL_MINUTES", "0",
                        "REGISTRY_AUDIT_ARCHIVE_DIGEST_MINUTES", "1",
                        "REGISTRY_AUDIT_ARCHIVE_GZIP", "true",
                        "REGISTRY_AUDIT_ARCHIVE_RECORDS_PER_FILE", "5000"));
        archive = stack.root().resolve("payara/registry-audit/archive");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    static JsonObject status(String token) throws Exception {
        return json(stack.get("/api/archive", token).body());
    }

    /** Starts a run through the API and waits until it has finished without error. */
    static JsonObject run(String token) throws Exception {
        Instant asked = Instant.now();
        assertEquals(202, stack.post("/api/archive/runs", "", token).statusCode());
        JsonObject[] last = new JsonObject[1];
        ProductionST.await("the archive run is done", Duration.ofMinutes(10), () -> {
            try {
                last[0] = status(token);
                return !last[0].getBoolean("running")
                        && last[0].containsKey("checkedAt")
                        && !Instant.parse(last[0].getString("checkedAt")).isBefore(asked.minusSeconds(1));
            } catch (Exception e) {
                return false;
            }
        });
        assertFalse(last[0].containsKey("lastError") && !last[0].isNull("lastError"), last[0].toString());
        return last[0];
    }

    static long count(String sql) throws Exception {
        return stack.queryLong(sql);
    }

    static List<Path> dataFiles(String server) throws IOException {
        try (Stream<Path> walk = Files.walk(archive)) {
            return walk.filter(p -> p.toString().contains("/REGISTRIES/" + server + "/"))
                    .filter(p -> p.getFileName().toString().endsWith(".json.gz"))
                    .sorted()
                    .toList();
        }
    }

    static String gunzip(Path file) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void gzip(Path file, String content) throws IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    static final Pattern EVENT_ID = Pattern.compile("\"EventId\":\"([^\"]+)\"");

    /** Every EventId in the archive files of a login server, with how often each appears. */
    static Map<String, Integer> archivedIds(String server) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        for (Path file : dataFiles(server)) {
            for (String line : gunzip(file).split("\n")) {
                Matcher id = EVENT_ID.matcher(line);
                assertTrue(id.find(), file + ": " + line);
                ids.merge(id.group(1), 1, Integer::sum);
            }
        }
        return ids;
    }

    static String offlineVerify(String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "java",
                "-cp",
                "target/classes:target/runtime/verify/*",
                "org.registryaudit.archive.control.ArchiveVerification",
                archive.toString()));
        command.addAll(List.of(extra));
        Process verify = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return "exit " + verify.waitFor() + "\n" + out;
    }

    /**
     * Sleeps until this minute and the next ones are over, so that the digests of every file
     * delivered so far are due, followed by that many more (empty) periods minus one.
     */
    static void digestPeriodsOver(int periods) throws InterruptedException {
        Instant now = Instant.now();
        Thread.sleep(Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60L * periods + 1))
                .toMillis());
    }

    @Test
    @Order(1)
    void archivesOldEventsAndNamesEveryTampering() throws Exception {
        String token = stack.adminToken();
        Instant old = Instant.now().minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.HOURS);
        Instant recent = Instant.now().minus(Duration.ofDays(2));
        JsonArrayBuilder pushes = Json.createArrayBuilder();
        Set<String> oldPushes = new TreeSet<>();
        for (int i = 0; i < 30; i++) { // 10 an hour over 3 hours
            String id = "st-archive-push-" + i;
            oldPushes.add(id);
            pushes.add(repositoryEvent(id, old.plus(Duration.ofMinutes(6L * i))));
        }
        pushes.add(repositoryEvent("st-archive-recent", recent));
        JsonArrayBuilder logins = Json.createArrayBuilder();
        for (int i = 0; i < 5; i++) {
            logins.add(Json.createObjectBuilder()
                    .add("EventId", "st-archive-login-" + i)
                    .add("TimeGenerated", old.plusSeconds(i).toString())
                    .add("Identity", "alice")
                    .add("ResultType", "200"));
        }
        JsonArrayBuilder trust = Json.createArrayBuilder();
        for (int i = 0; i < 3; i++) {
            trust.add(Json.createObjectBuilder()
                    .add("EventId", "st-archive-trust-" + i)
                    .add(
                            "CreatedAt",
                            old.minus(Duration.ofDays(200)).plusSeconds(i).toString())
                    .add("GUN", SERVER + "/team/app")
                    .add("Category", "update")
                    .add("Version", i + 1)
                    .add("SHA256", "ab".repeat(32))
                    .add("Source", SERVER));
        }
        try (JMSContext context = new ActiveMQConnectionFactory(
                        stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD)
                .createContext()) {
            Queue queue = context.createQueue(ProductionST.QUEUE);
            JMSProducer producer = context.createProducer().setProperty("loginServer", SERVER);
            producer.setProperty("contentType", "application/vnd.registryaudit.repository-event+json")
                    .send(queue, pushes.build().toString());
            producer.setProperty("contentType", "application/vnd.registryaudit.login-event+json")
                    .send(queue, logins.build().toString());
            producer.setProperty("contentType", "application/vnd.registryaudit.trust-change+json")
                    .send(queue, trust.build().toString());
        }
        String where = " WHERE LoginServer = '" + SERVER + "'";
        ProductionST.await("all events are stored", Duration.ofSeconds(60), () -> {
            try {
                return count("SELECT COUNT(*) FROM ContainerRegistryRepositoryEvents" + where) == 31
                        && count("SELECT COUNT(*) FROM ContainerRegistryLoginEvents" + where) == 5
                        && count("SELECT COUNT(*) FROM TrustChanges WHERE Source = '" + SERVER + "'") == 3;
            } catch (Exception e) {
                return false;
            }
        });

        JsonObject status = run(token);
        assertEquals(38, status.getJsonNumber("records").longValue(), status.toString());
        assertEquals(5, status.getJsonNumber("files").longValue(), "3 hours of pushes, 1 of logins, 1 of trust");
        assertEquals(
                1, count("SELECT COUNT(*) FROM ContainerRegistryRepositoryEvents" + where), "the recent push stays");
        assertEquals(0, count("SELECT COUNT(*) FROM ContainerRegistryLoginEvents" + where));
        assertEquals(0, count("SELECT COUNT(*) FROM TrustChanges WHERE Source = '" + SERVER + "'"));
        assertEquals(5, count("SELECT COUNT(*) FROM ArchivedFiles WHERE LoginServer = '" + SERVER + "'"));

        // the files: the Azure layout, gzipped, each pushed event once, in its hour
        List<Path> files = dataFiles(SERVER);
        assertEquals(5, files.size(), files.toString());
        Map<String, Integer> ids = archivedIds(SERVER);
        assertTrue(ids.values().stream().allMatch(n -> n == 1), ids.toString());
        assertTrue(ids.keySet().containsAll(oldPushes), ids.toString());
        assertEquals(38, ids.size());
        Path firstHour = archive.resolve("insights-logs-containerregistryrepositoryevents/resourceId=/REGISTRIES/"
                + SERVER
                + old.toString()
                        .replaceAll("(\\d+)-(\\d+)-(\\d+)T(\\d+):.*", "/y=$1/m=$2/d=$3/h=$4/m=00/PT1H.json.gz"));
        String firstContent = gunzip(firstHour);
        List<String> lines = firstContent.lines().toList();
        assertEquals(10, lines.size(), "every sixth minute of the first hour");
        JsonObject record = json(lines.get(0));
        assertEquals(old.toString(), record.getString("time"));
        assertEquals("Push", record.getString("operationName"));
        assertEquals("st-archive-push-0", record.getJsonObject("properties").getString("EventId"));

        // the digests, once their minute is over: every file with its SHA-256 and count, chained, and
        // the next minute's digest, empty, chained to it
        digestPeriodsOver(2);
        run(token);
        List<JsonObject> digests = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(archive.resolve("registry-audit-digests"))) {
            for (Path p : walk.filter(p -> p.getFileName().toString().equals("digest.json"))
                    .sorted()
                    .toList()) {
                digests.add(json(Files.readString(p)));
            }
        }
        assertTrue(digests.size() >= 2, digests.toString());
        assertTrue(digests.get(digests.size() - 1).getJsonArray("files").isEmpty(), "an empty minute has its digest");
        Map<String, JsonObject> listed = new HashMap<>();
        for (int i = 0; i < digests.size(); i++) {
            JsonObject d = digests.get(i);
            if (i > 0) {
                assertEquals(digests.get(i - 1).getString("digestPath"), d.getString("previousDigestPath"));
                assertEquals(digests.get(i - 1).getString("digestEndTime"), d.getString("digestStartTime"));
            }
            d.getJsonArray("files").getValuesAs(JsonObject.class).forEach(f -> listed.put(f.getString("path"), f));
        }
        for (Path file : files) {
            JsonObject entry = listed.get(archive.relativize(file).toString());
            assertTrue(entry != null, file + " is in no digest: " + listed.keySet());
            String content = gunzip(file);
            assertEquals(
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest(content.getBytes(StandardCharsets.UTF_8))),
                    entry.getString("sha256"));
            assertEquals(content.lines().count(), entry.getJsonNumber("records").longValue());
        }
        assertTrue(json(stack.get("/api/archive/verification", token).body()).getBoolean("ok"));
        String offline = offlineVerify();
        assertTrue(offline.startsWith("exit 0") && offline.contains("archive verified"), offline);

        // one changed line: named by the API and by the offline command
        String relative = archive.relativize(firstHour).toString();
        String changed = firstContent.replaceFirst("\"identity\":\"alice\"", "\"identity\":\"mallory\"");
        assertFalse(changed.equals(firstContent));
        gzip(firstHour, changed);
        assertNamed(token, "file " + relative + " was changed");
        gzip(firstHour, firstContent);
        // one deleted file
        Path loginFile = files.stream()
                .filter(p -> p.toString().contains("containerregistryloginevents"))
                .findFirst()
                .orElseThrow();
        byte[] loginBytes = Files.readAllBytes(loginFile);
        Files.delete(loginFile);
        assertNamed(token, "file " + archive.relativize(loginFile) + " is missing");
        Files.write(loginFile, loginBytes);
        // one deleted digest: the one that lists the first hour's file, named as the missing link of
        // its successor (the newest digest deleted is named by the API only, which knows the ledger;
        // offline, the files it listed show up as in no digest)
        Path digest = archive.resolve(digests.stream()
                .filter(d -> d.getJsonArray("files").toString().contains(relative))
                .findFirst()
                .orElseThrow()
                .getString("digestPath"));
        byte[] digestBytes = Files.readAllBytes(digest);
        Files.delete(digest);
        assertNamed(token, "digest " + archive.relativize(digest) + " is missing");
        Files.write(digest, digestBytes);
        assertTrue(json(stack.get("/api/archive/verification", token).body()).getBoolean("ok"));
    }

    static JsonObject repositoryEvent(String id, Instant time) {
        return Json.createObjectBuilder()
                .add("EventId", id)
                .add("TimeGenerated", time.toString())
                .add("OperationName", "Push")
                .add("Repository", "team/app")
                .add("Tag", "v1")
                .add("Digest", "sha256:" + "cd".repeat(32))
                .add("Identity", "alice")
                .add("ResultType", "201")
                .build();
    }

    /** The problem is named, precisely, by the API and by the offline command. */
    static void assertNamed(String token, String problem) throws Exception {
        JsonObject verification =
                json(stack.get("/api/archive/verification", token).body());
        assertFalse(verification.getBoolean("ok"), verification.toString());
        assertTrue(
                verification.getJsonArray("problems").getValuesAs(jakarta.json.JsonString.class).stream()
                        .anyMatch(p -> p.getString().startsWith(problem)),
                problem + " not in " + verification);
        String offline = offlineVerify();
        assertTrue(offline.startsWith("exit 1") && offline.contains("PROBLEM: " + problem), offline);
    }

    @Test
    @Order(2)
    void killNineDuringALargeBacklogLosesAndDuplicatesNothing() throws Exception {
        // 200,000 events of 100 hours, 200 days old: 2,000 an hour, one file each (5,000 a file at most)
        try (Connection c = stack.jdbc();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO ContainerRegistryRepositoryEvents (Id, EventId, TimeGenerated, ReceivedAt, "
                    + "LoginServer, OperationName, Repository, Tag, Digest, Identity, ResultType) SELECT "
                    + "100000000 + g, 'backlog-' || g, date_trunc('hour', now() - interval '200 days') "
                    + "+ (g % 100) * interval '1 hour' + (g / 100) * interval '1 millisecond', now(), '"
                    + BACKLOG_SERVER
                    + "', 'Push', 'team/app' || (g % 7), 'v' || g, 'sha256:' || md5(g::text) || md5((g + 1)::text), "
                    + "'alice', '201' FROM generate_series(0, " + (BACKLOG - 1) + ") g");
            s.execute("ANALYZE ContainerRegistryRepositoryEvents");
        }
        String token = stack.adminToken();
        String where = "FROM ContainerRegistryRepositoryEvents WHERE LoginServer = '" + BACKLOG_SERVER + "'";
        List<Long> atKills = new ArrayList<>();
        List<Long> caughtMidFile = new ArrayList<>(); // files (or .tmp) on disk that no commit recorded yet
        for (long killAt : new long[] {30_000, 60_000}) {
            assertEquals(202, stack.post("/api/archive/runs", "", token).statusCode());
            ProductionST.await("the run is past " + killAt + " records", Duration.ofMinutes(5), () -> {
                try {
                    return recordedRecords() >= killAt;
                } catch (Exception e) {
                    return false;
                }
            });
            stack.killServer();
            atKills.add(recordedRecords());
            long onDisk;
            try (Stream<Path> walk = Files.walk(archive)) {
                onDisk = walk.filter(p ->
                                p.toString().contains("/REGISTRIES/" + BACKLOG_SERVER + "/") && Files.isRegularFile(p))
                        .count();
            }
            caughtMidFile.add(
                    onDisk - count("SELECT COUNT(*) FROM ArchivedFiles WHERE LoginServer = '" + BACKLOG_SERVER + "'"));
            assertTrue(atKills.get(atKills.size() - 1) < BACKLOG, "the kill came mid-run: " + atKills);
            stack.startServer();
            token = stack.adminToken();
        }
        JsonObject status = run(token);
        long inDatabase = count("SELECT COUNT(*) " + where);
        assertEquals(0, inDatabase, "everything is past its retention: " + status);
        Map<String, Integer> ids = archivedIds(BACKLOG_SERVER);
        List<String> twice = ids.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .limit(10)
                .toList();
        assertTrue(twice.isEmpty(), "archived more than once: " + twice);
        assertEquals(BACKLOG, ids.size(), "every record archived");
        for (int g = 0; g < BACKLOG; g += 997) {
            assertTrue(ids.containsKey("backlog-" + g), "backlog-" + g);
        }
        assertEquals(
                BACKLOG, count("SELECT SUM(Records) FROM ArchivedFiles WHERE LoginServer = '" + BACKLOG_SERVER + "'"));
        try (Stream<Path> walk = Files.walk(archive)) {
            List<Path> leftovers =
                    walk.filter(p -> p.toString().endsWith(".tmp")).toList();
            assertTrue(leftovers.isEmpty(), "temporary files left: " + leftovers);
        }
        digestPeriodsOver(1);
        run(token);
        JsonObject verification =
                json(stack.get("/api/archive/verification", token).body());
        assertTrue(verification.getBoolean("ok"), verification.toString());
        System.out.printf(
                "archive crash test: %,d records; kill -9 with %s archived and %s unrecorded files on disk; "
                        + "after restarts %,d in %d files, each once; verification ok%n",
                BACKLOG,
                atKills,
                caughtMidFile,
                ids.size(),
                dataFiles(BACKLOG_SERVER).size());
    }

    /** Records of the backlog in the archive files that a commit has recorded. */
    static long recordedRecords() throws Exception {
        return count(
                "SELECT COALESCE(SUM(Records), 0) FROM ArchivedFiles WHERE LoginServer = '" + BACKLOG_SERVER + "'");
    }
}
