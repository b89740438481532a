package org.registryaudit.archive.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.registryaudit.ApiClient;
import org.registryaudit.archive.control.ArchiveDirectory;
import org.registryaudit.changefeed.control.TrustChangeStore;
import org.registryaudit.changefeed.entity.TrustChangeRecord;
import org.registryaudit.events.control.EventStore;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.platform.control.MovableClock;

/**
 * The archive in Payara Micro on H2, digests every minute: records past their retention move to
 * JSON Lines files in the Azure layout and leave the database, each once; recent ones stay; the
 * signed digest chain verifies; a changed line, a deleted file, a deleted digest and a slipped-in
 * file are each named; diagnostic settings keep a login server's records longer.
 */
@ExtendWith(ArquillianExtension.class)
class ArchiveIT {

    static final String SERVER = "archive-it.example.com";

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/registry-audit.war"))
                .addClasses(ApiClient.class, MovableClock.class);
    }

    @Inject
    MovableClock clock;

    @Inject
    EventStore events;

    @Inject
    TrustChangeStore trustChanges;

    @Inject
    ArchiveDirectory directory;

    @Inject
    ArchiveTimer timer;

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @ArquillianResource
    URL base;

    static RepositoryEventRecord push(String server, Instant time, String repository) {
        return new RepositoryEventRecord(
                UUID.randomUUID().toString(),
                time,
                null,
                server,
                "Push",
                repository,
                "v1",
                "sha256:" + "ab".repeat(32),
                "application/vnd.oci.image.manifest.v1+json",
                null,
                1234L,
                null,
                "alice",
                "201",
                "201 \"quoted\" and a\nnewline",
                "10.0.0.1",
                "skopeo/1.9",
                "PUT",
                12L,
                "corr-1",
                null,
                null);
    }

    long rows(String table, String server) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM " + table + " WHERE LoginServer = ?1")
                        .setParameter(1, server)
                        .getSingleResult())
                .longValue();
    }

    JsonObject json(HttpResponse<String> response) {
        assertTrue(response.statusCode() / 100 == 2, response.statusCode() + " " + response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** Starts a run through the API and waits for it to finish. */
    JsonObject run(ApiClient api, String token) throws Exception {
        Instant asked = clock.instant();
        HttpResponse<String> started = api.send(api.request("/api/archive/runs")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, started.statusCode(), started.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject status = json(api.get("/api/archive", token));
            if (!status.getBoolean("running")
                    && status.containsKey("checkedAt")
                    && !Instant.parse(status.getString("checkedAt")).isBefore(asked)) {
                assertFalse(status.containsKey("lastError") && !status.isNull("lastError"), status.toString());
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the archive run did not finish");
    }

    List<Path> dataFiles(String server) throws Exception {
        try (Stream<Path> walk = Files.walk(directory.root())) {
            return walk.filter(p -> p.toString().contains("/REGISTRIES/" + server + "/") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void archivesOldRecordsOnceAndProvesTheArchiveUntouched() throws Exception {
        ApiClient api = new ApiClient(base);
        String token = api.adminToken();
        Instant old = Instant.now().minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.HOURS);
        List<RepositoryEventRecord> pushes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pushes.add(push(SERVER, old.plusSeconds(60L * i), "team/app"));
        }
        pushes.add(push(SERVER, old.plus(Duration.ofHours(3)), "team/app"));
        pushes.add(push(SERVER, Instant.now().minus(Duration.ofDays(1)), "team/recent"));
        LoginEventRecord login = new LoginEventRecord(
                UUID.randomUUID().toString(),
                old.plusSeconds(5),
                null,
                SERVER,
                "Login",
                "alice",
                "jwt-1",
                "200",
                "200",
                "10.0.0.1",
                "docker/27",
                30L,
                null,
                null,
                null);
        events.store(pushes, List.of(login));
        trustChanges.store(List.of(new TrustChangeRecord(
                UUID.randomUUID().toString(),
                old.minus(Duration.ofDays(300)),
                "archive-it/app",
                1,
                "cd".repeat(32),
                "update",
                "archive-it-notary")));
        // a second login server keeps its records for 1000 days
        String keeper = "keeper-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        HttpResponse<String> setting =
                api.send(api.request("/api/diagnostic-settings/" + keeper + "/ContainerRegistryRepositoryEvents")
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"collect\":true,\"archive\":true,\"retentionDays\":1000}")));
        assertEquals(200, setting.statusCode(), setting.body());
        events.store(List.of(push(keeper, old, "kept/app")), List.of());
        // a rejected message past its retention (30 days) is archived too
        try (var c = dataSource.getConnection();
                var s = c.prepareStatement("INSERT INTO RejectedMessages (Id, ReceivedAt, "
                        + "Source, ContentType, LoginServer, Reason, Fingerprint, BodyLength, Body) VALUES (?, ?, 'jms', "
                        + "'application/json', ?, 'not JSON: unexpected character', ?, 9, '{\"broken\"')")) {
            s.setLong(1, 900_000_000L + (System.nanoTime() & 0xffffff));
            s.setObject(2, old.atOffset(java.time.ZoneOffset.UTC));
            s.setString(3, SERVER);
            s.setString(4, UUID.randomUUID().toString());
            s.executeUpdate();
        }

        JsonObject status = run(api, token);
        assertTrue(status.getJsonNumber("records").longValue() >= 8, status.toString());
        assertEquals(1, rows("ContainerRegistryRepositoryEvents", SERVER), "only the recent push stays");
        assertEquals(0, rows("ContainerRegistryLoginEvents", SERVER));
        assertEquals(0, rows("RejectedMessages", SERVER));
        assertEquals(1, rows("ContainerRegistryRepositoryEvents", keeper), "the longer retention keeps it");

        List<Path> files = dataFiles(SERVER);
        String hourPath = "insights-logs-containerregistryrepositoryevents/resourceId=/REGISTRIES/" + SERVER
                + old.toString().replaceAll("(\\d+)-(\\d+)-(\\d+)T(\\d+):.*", "/y=$1/m=$2/d=$3/h=$4/m=00/PT1H.json");
        Path first = directory.root().resolve(hourPath);
        assertTrue(files.contains(first), files + " should hold " + first);
        List<String> lines = Files.readAllLines(first);
        assertEquals(5, lines.size());
        JsonObject record = Json.createReader(new StringReader(lines.get(0))).readObject();
        assertEquals(old.toString(), record.getString("time"));
        assertEquals("/REGISTRIES/" + SERVER, record.getString("resourceId"));
        assertEquals("Push", record.getString("operationName"));
        assertEquals("ContainerRegistryRepositoryEvents", record.getString("category"));
        assertEquals("201 \"quoted\" and a\nnewline", record.getString("resultDescription"));
        assertEquals("team/app", record.getJsonObject("properties").getString("Repository"));
        assertEquals(pushes.get(0).eventId(), record.getJsonObject("properties").getString("EventId"));
        assertEquals(4, files.size(), "two hours of pushes, one of logins, one of rejected messages: " + files);
        Path rejected = files.stream()
                .filter(p -> p.toString().contains("insights-logs-rejectedmessages/"))
                .findFirst()
                .orElseThrow();
        JsonObject reject =
                Json.createReader(new StringReader(Files.readString(rejected))).readObject();
        assertEquals("Reject", reject.getString("operationName"));
        assertEquals("not JSON: unexpected character", reject.getString("resultDescription"));
        assertEquals("{\"broken\"", reject.getJsonObject("properties").getString("Body"));

        // a second run finds nothing more and writes nothing twice
        run(api, token);
        assertEquals(files, dataFiles(SERVER));
        assertEquals(5, Files.readAllLines(first).size());

        // the digest of this minute is written once the minute is over
        clock.advance(Duration.ofSeconds(61));
        run(api, token);
        JsonObject verification = json(api.get("/api/archive/verification", token));
        assertTrue(verification.getBoolean("ok"), verification.toString());
        assertTrue(verification.getInt("files") >= 4, verification.toString());

        // one changed line
        String original = Files.readString(first);
        Files.writeString(first, original.replaceFirst("alice", "mallory"));
        assertProblem(api, token, "file " + hourPath + " was changed");
        Files.writeString(first, original);
        // one deleted file
        Path loginFile = dataFiles(SERVER).stream()
                .filter(p -> p.toString().contains("containerregistryloginevents"))
                .findFirst()
                .orElseThrow();
        byte[] loginBytes = Files.readAllBytes(loginFile);
        Files.delete(loginFile);
        assertProblem(api, token, "file " + directory.root().relativize(loginFile) + " is missing");
        Files.write(loginFile, loginBytes);
        // one slipped-in file
        Path extra = first.resolveSibling("PT1H.7.json");
        Files.writeString(extra, lines.get(0) + "\n");
        assertProblem(api, token, "file " + directory.root().relativize(extra) + " is in no digest");
        Files.delete(extra);
        // one deleted digest
        Path digest;
        try (Stream<Path> walk = Files.walk(directory.root().resolve("registry-audit-digests"))) {
            digest = walk.filter(p -> p.getFileName().toString().equals("digest.json"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        byte[] digestBytes = Files.readAllBytes(digest);
        Files.delete(digest);
        assertProblem(api, token, "digest " + directory.root().relativize(digest) + " is missing");
        Files.write(digest, digestBytes);
        assertTrue(json(api.get("/api/archive/verification", token)).getBoolean("ok"));

        // restore the archived hours of the pushes: back in the query API, once, however often asked
        String range = "{\"category\":\"ContainerRegistryRepositoryEvents\",\"loginServer\":\"" + SERVER
                + "\",\"from\":\"" + old + "\",\"to\":\"" + old.plus(Duration.ofHours(4)) + "\"}";
        JsonObject restore = json(api.send(api.request("/api/archive/restores")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(range))));
        assertEquals(6, restore.getInt("records"), restore.toString());
        JsonObject again = json(api.send(api.request("/api/archive/restores")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(range))));
        assertEquals(0, again.getInt("records"));
        assertEquals(6, again.getInt("skipped"));
        assertEquals(7, rows("ContainerRegistryRepositoryEvents", SERVER));
        String listed = api.get("/api/repository-events?loginServer=" + SERVER + "&limit=100", token)
                .body();
        assertTrue(listed.contains(pushes.get(0).eventId()), listed);
        // restored rows are never archived a second time
        run(api, token);
        assertEquals(7, rows("ContainerRegistryRepositoryEvents", SERVER));
        assertTrue(json(api.get("/api/archive/verification", token)).getBoolean("ok"));

        // export, streamed: CSV with RFC 4180 quoting, JSON Lines in the archive's shape
        HttpResponse<String> csv = api.get(
                "/api/archive/export?category=ContainerRegistryRepositoryEvents&loginServer=" + SERVER + "&format=csv",
                token);
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.body().startsWith("Id,EventId,TimeGenerated,"), csv.body());
        assertTrue(csv.body().contains("\"201 \"\"quoted\"\" and a\nnewline\""), csv.body());
        HttpResponse<String> jsonl = api.get(
                "/api/archive/export?category=ContainerRegistryRepositoryEvents&loginServer=" + SERVER
                        + "&format=jsonl&from=" + old + "&to=" + old.plus(Duration.ofHours(1)),
                token);
        assertEquals(5, jsonl.body().lines().count(), jsonl.body());
        assertEquals(400, api.get("/api/archive/export?category=Nope", token).statusCode());

        // dropping the restores takes exactly their rows out again
        for (JsonObject r : List.of(restore, again)) {
            assertEquals(
                    204,
                    api.send(api.request("/api/archive/restores/" + r.getInt("id"))
                                    .header("Authorization", "Bearer " + token)
                                    .DELETE())
                            .statusCode());
        }
        assertEquals(1, rows("ContainerRegistryRepositoryEvents", SERVER));
        assertEquals(
                404,
                api.send(api.request("/api/archive/restores/" + restore.getInt("id"))
                                .header("Authorization", "Bearer " + token)
                                .DELETE())
                        .statusCode());
    }

    void assertProblem(ApiClient api, String token, String problem) throws Exception {
        JsonObject verification = json(api.get("/api/archive/verification", token));
        assertFalse(verification.getBoolean("ok"), verification.toString());
        assertTrue(
                verification.getJsonArray("problems").getValuesAs(jakarta.json.JsonString.class).stream()
                        .anyMatch(p -> p.getString().startsWith(problem)),
                problem + " not in " + verification);
    }

    /**
     * The timer's own schedule starts the run, not the API: a timer-started run once failed on its
     * first transaction, and after a run through the API on its first digest. Two login servers
     * that once shared an archive path ({@code col/x} and {@code col_x}) each keep their own file.
     */
    @Test
    void theTimerArchivesOnItsScheduleAndNoTwoServersShareAFile() throws Exception {
        ApiClient api = new ApiClient(base);
        String token = api.adminToken();
        run(api, token);
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String slash = "col-" + unique + "/x";
        String underscore = "col-" + unique + "_x";
        Instant old = Instant.now().minus(Duration.ofDays(300)).truncatedTo(ChronoUnit.HOURS);
        events.store(List.of(push(slash, old, "team/a"), push(underscore, old, "team/b")), List.of());
        // the first timed run after this minute is over, so that it has a digest to write too
        clock.advance(Duration.ofSeconds(61));
        Instant first = clock.instant();
        timer.schedule(Duration.ofSeconds(1), Duration.ofHours(1));
        JsonObject status = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline) {
            status = json(api.get("/api/archive", token));
            if (!status.getBoolean("running")
                    && status.containsKey("checkedAt")
                    && !Instant.parse(status.getString("checkedAt")).isBefore(first)) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(
                status.containsKey("checkedAt")
                        && !Instant.parse(status.getString("checkedAt")).isBefore(first),
                "the timer started no run: " + status);
        assertFalse(status.containsKey("lastError") && !status.isNull("lastError"), status.toString());
        assertTrue(status.getJsonNumber("digests").longValue() >= 1, "the timed run wrote its digest: " + status);
        assertEquals(0, rows("ContainerRegistryRepositoryEvents", slash));
        assertEquals(0, rows("ContainerRegistryRepositoryEvents", underscore));
        for (String server : List.of(slash, underscore)) {
            List<String> paths = em.createNativeQuery("SELECT Path FROM ArchivedFiles WHERE LoginServer = ?1")
                    .setParameter(1, server)
                    .getResultList();
            assertEquals(1, paths.size(), server + ": " + paths);
            List<String> lines = Files.readAllLines(directory.root().resolve(paths.get(0)));
            assertEquals(1, lines.size(), paths.toString());
            assertTrue(lines.get(0).contains("\"resourceId\":\"/REGISTRIES/" + server + "\""), lines.get(0));
        }
        assertTrue(json(api.get("/api/archive/verification", token)).getBoolean("ok"));
    }

    @Test
    void explainsBadSettings() throws Exception {
        ApiClient api = new ApiClient(base);
        String token = api.adminToken();
        HttpResponse<String> unknown = api.send(api.request("/api/diagnostic-settings/*/NoSuchTable")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"collect\":true,\"archive\":true,\"retentionDays\":5}")));
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("category 'NoSuchTable' is not one of"), unknown.body());
        HttpResponse<String> days = api.send(api.request("/api/diagnostic-settings/*/TrustChanges")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"collect\":true,\"archive\":true,\"retentionDays\":0}")));
        assertEquals(400, days.statusCode());
        assertTrue(days.body().contains("retentionDays must be from 1 to 36500"), days.body());
        HttpResponse<String> rejected = api.send(api.request("/api/diagnostic-settings/*/RejectedMessages")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"collect\":false,\"archive\":true,\"retentionDays\":5}")));
        assertEquals(400, rejected.statusCode());
        assertTrue(rejected.body().contains("RejectedMessages are always collected"), rejected.body());
        HttpResponse<String> list = api.get("/api/diagnostic-settings", token);
        assertTrue(list.body().contains("\"retentionDays\":365") && list.body().contains("TrustChanges"), list.body());
        assertTrue(
                list.body().contains("\"category\":\"RejectedMessages\"")
                        && list.body().contains("\"retentionDays\":30"),
                list.body());
    }
}
