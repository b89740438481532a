package org.registryaudit.changefeed.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.registryaudit.ApiClient;
import org.registryaudit.changefeed.control.TrustChangeStore;
import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.changefeed.entity.TrustChangeRecord;
import org.registryaudit.ingest.control.AuditQueue;
import org.registryaudit.ingest.control.MessageParser;

/**
 * The changefeed in Payara Micro on H2, with the ITs' freshness window of 2 s: every paging rule of
 * real-world-formats.md §3 replayed against the endpoint, errors in Notary's shape, access as the
 * DTR document describes it, JMS trust-change messages, and a reader that pages forward while
 * writers race to commit.
 */
@ExtendWith(ArquillianExtension.class)
class ChangefeedIT {

    static final Duration WINDOW = Duration.ofSeconds(2);

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/registry-audit.war"))
                .addClasses(ApiClient.class, SlowWriter.class);
    }

    @Inject
    TrustChangeStore store;

    @Inject
    SlowWriter slowWriter;

    @Inject
    AuditQueue queue;

    @ArquillianResource
    URL base;

    static TrustChangeRecord update(String gun, int version) {
        String sha =
                HexFormat.of().formatHex(UUID.randomUUID().toString().repeat(2).getBytes(), 0, 32);
        return new TrustChangeRecord(
                UUID.randomUUID().toString(),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                gun,
                version,
                sha,
                TrustChange.UPDATE,
                "it");
    }

    static TrustChangeRecord deletion(String gun) {
        return new TrustChangeRecord(
                UUID.randomUUID().toString(),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                gun,
                0,
                null,
                TrustChange.DELETION,
                "it");
    }

    static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** The records of a 200 page, checking count and shape on the way. */
    static List<JsonObject> records(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        JsonObject page = json(response);
        List<JsonObject> records = page.getJsonArray("records").stream()
                .map(JsonValue::asJsonObject)
                .toList();
        assertEquals(records.size(), page.getInt("count"));
        return records;
    }

    static List<Integer> versions(List<JsonObject> records) {
        return records.stream().map(r -> r.getInt("Version")).toList();
    }

    static List<String> ids(List<JsonObject> records) {
        return records.stream().map(r -> r.getString("ID")).toList();
    }

    HttpResponse<String> feed(String gun, String query, String token) throws Exception {
        String path = gun == null ? "/v2/_trust/changefeed" : "/v2/" + gun + "/_trust/changefeed";
        return new ApiClient(base).get(path + query, token);
    }

    static void assertNotaryError(HttpResponse<String> response, int status, String code, String detailPart) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject error = json(response).getJsonArray("errors").getJsonObject(0);
        assertEquals(code, error.getString("code"));
        assertTrue(error.getString("detail").contains(detailPart), error.toString());
    }

    @Test
    void pagesExactlyAsNotaryServerDoes() throws Exception {
        String gun = "registry.example.com:5000/conf/" + UUID.randomUUID();
        for (int version = 1; version <= 105; version++) {
            store.store(List.of(update(gun, version)));
        }
        store.store(List.of(deletion(gun)));
        Thread.sleep(WINDOW.toMillis() + 500);
        String token = new ApiClient(base).adminToken();

        // forward from the beginning, exclusive cursor, oldest first
        List<JsonObject> first = records(feed(gun, "?change_id=0&records=5", token));
        assertEquals(List.of(1, 2, 3, 4, 5), versions(first));
        List<JsonObject> second = records(feed(gun, "?change_id=" + ids(first).get(4) + "&records=5", token));
        assertEquals(List.of(6, 7, 8, 9, 10), versions(second));
        // change_id is optional and defaults to 0
        assertEquals(ids(first), ids(records(feed(gun, "?records=5", token))));
        // backwards from a cursor: the records before it, still oldest first
        assertEquals(
                List.of(3, 4, 5),
                versions(records(feed(gun, "?change_id=" + ids(second).get(0) + "&records=-3", token))));
        assertEquals(List.of(), records(feed(gun, "?change_id=" + ids(first).get(0) + "&records=-3", token)));
        // 0 means 100
        List<JsonObject> hundred = records(feed(gun, "?change_id=0&records=0", token));
        assertEquals(100, hundred.size());
        // 1, any negative change_id, and 0 with negative records: from the most recent, backwards
        List<JsonObject> latest = records(feed(gun, "?change_id=1&records=3", token));
        assertEquals(List.of(104, 105, 0), versions(latest));
        for (String query : List.of(
                "?change_id=1&records=-3",
                "?change_id=-1&records=3",
                "?change_id=-7&records=-3",
                "?change_id=0&records=-3",
                "?records=-3")) {
            assertEquals(ids(latest), ids(records(feed(gun, query, token))), query);
        }
        // the deletion record
        JsonObject deletion = latest.get(2);
        assertEquals("deletion", deletion.getString("Category"));
        assertEquals("", deletion.getString("SHA256"));
        assertEquals(gun, deletion.getString("GUN"));
        assertEquals("update", latest.get(0).getString("Category"));
        assertEquals(64, latest.get(0).getString("SHA256").length());
        // past the end and far beyond: empty, 200
        assertEquals(List.of(), records(feed(gun, "?change_id=" + ids(latest).get(2) + "&records=10", token)));
        assertEquals(List.of(), records(feed(gun, "?change_id=2147483647&records=10", token)));
        // what notary-server refuses is refused here too ('+' in a query string is a space)
        assertNotaryError(feed(gun, "?change_id=2147483648&records=10", token), 400, "INVALID_PARAMETERS", "change_id");
        assertNotaryError(feed(gun, "?records=+3", token), 400, "INVALID_PARAMETERS", "records");
        // paging through the whole GUN forward visits each record once, in order; IDs are never 0 or 1
        List<String> all = new ArrayList<>();
        String cursor = "0";
        for (List<JsonObject> page;
                !(page = records(feed(gun, "?change_id=" + cursor + "&records=7", token))).isEmpty(); ) {
            all.addAll(ids(page));
            cursor = ids(page).get(page.size() - 1);
        }
        assertEquals(106, all.size());
        assertEquals(106, new LinkedHashSet<>(all).size());
        all.forEach(id -> assertTrue(Long.parseLong(id) > 1, id));
        // the global feed holds the same records in the same order
        assertEquals(all, ids(records(feed(null, "?change_id=1&records=-106", token))));
        // the GUN match is exact
        assertEquals(
                "{\"count\":0,\"records\":[]}",
                feed("registry.example.com:5000/conf", "?records=10", token).body());
        assertEquals(
                "{\"count\":0,\"records\":[]}",
                feed("no/such/gun", "?records=10", token).body());
    }

    @Test
    void explainsBadParametersInNotarysErrorShape() throws Exception {
        String token = new ApiClient(base).adminToken();
        assertNotaryError(feed(null, "", token), 400, "INVALID_PARAMETERS", "records parameter is required");
        assertNotaryError(feed(null, "?records=ten", token), 400, "INVALID_PARAMETERS", "32-bit signed integer");
        assertNotaryError(feed(null, "?records=2147483648", token), 400, "INVALID_PARAMETERS", "32-bit");
        assertNotaryError(feed(null, "?records=1001", token), 400, "INVALID_PARAMETERS", "at most 1000");
        assertNotaryError(feed(null, "?records=-1001", token), 400, "INVALID_PARAMETERS", "at most 1000");
        assertNotaryError(feed("a/b", "?records=10&change_id=abc", token), 400, "INVALID_PARAMETERS", "change_id");
        assertEquals(200, feed(null, "?records=1000", token).statusCode());
        assertEquals(200, feed(null, "?records=-1000", token).statusCode());
    }

    @Test
    void hidesChangesYoungerThanTheWindow() throws Exception {
        String gun = "fresh/" + UUID.randomUUID();
        String token = new ApiClient(base).adminToken();
        store.store(List.of(update(gun, 1)));
        assertEquals(List.of(), records(feed(gun, "?records=10", token)));
        Thread.sleep(WINDOW.toMillis() + 500);
        assertEquals(List.of(1), versions(records(feed(gun, "?records=10", token))));
    }

    @Test
    void letsCallersReadOnlyWhatTheDtrDocumentAllows() throws Exception {
        ApiClient api = new ApiClient(base);
        String admin = api.adminToken();
        // no token: 401 with the challenge a Docker client follows
        HttpResponse<String> anonymous = api.send(api.request("/v2/_trust/changefeed?records=10"));
        assertNotaryError(anonymous, 401, "UNAUTHORIZED", "/auth/token");
        String challenge = anonymous.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(
                challenge.startsWith("Bearer realm=\"")
                        && challenge.contains("/auth/token\"")
                        && challenge.contains("scope=\"registry:catalog:*\""),
                challenge);

        String user = "feed-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = api.send(
                api.request("/api/users/" + user)
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .PUT(
                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"password\":\"feed-password-1\",\"grants\":[{\"repository\":\"team/*\",\"actions\":[\"pull\"]}]}")));
        assertEquals(201, created.statusCode(), created.body());
        // the token endpoint answers with a token even for a scope the user does not hold
        String token = api.token(user, "feed-password-1", "?service=registry-audit&scope=registry:catalog:*");
        assertNotaryError(feed(null, "?records=10", token), 403, "DENIED", "registry:catalog:*");
        assertEquals(
                200,
                feed("registry.example.com:5000/team/app", "?records=10", token).statusCode());
        assertEquals(200, feed("team/app", "?records=10", token).statusCode());
        // only a configured registry host stands in for nothing: elsewhere acme.corp/team is a namespace
        assertNotaryError(feed("acme.corp/team/app", "?records=10", token), 403, "DENIED", "acme.corp/team/app");
        assertNotaryError(feed("localhost/team/app", "?records=10", token), 403, "DENIED", "localhost/team/app");
        assertNotaryError(feed("other/app", "?records=10", token), 403, "DENIED", "repository:other/app:pull");
        assertEquals(200, feed("other/app", "?records=10", admin).statusCode());
        assertEquals(200, feed(null, "?records=10", admin).statusCode());
    }

    @Test
    void storesJmsTrustChangesOnceAndRejectsBadOnes() throws Exception {
        String gun = "jms/" + UUID.randomUUID();
        String body = """
                [{"CreatedAt":"2026-01-02T03:04:05.123456Z","GUN":"%1$s","Category":"update","Version":1,
                  "SHA256":"5aca0fe5daa6a6a246f548e2ff8919f7789d458e5e4b8e135101f2125adff020"},
                 {"CreatedAt":"2026-01-02T03:05:00Z","GUN":"%1$s","Category":"update","Version":2,"SHA256":"not-a-sha"},
                 {"CreatedAt":"2026-01-02T03:06:00Z","GUN":"%1$s","Category":"deletion","Source":"notary-a"}]""".formatted(gun);
        queue.send(body, MessageParser.TRUST_CHANGES, "registry.example.com");
        queue.send(body, MessageParser.TRUST_CHANGES, "registry.example.com");
        String marker = """
                {"EventId":"%s","CreatedAt":"2026-01-02T03:07:00Z","GUN":"%s","Category":"update","Version":1,
                 "SHA256":"e29cae4d8ff2fb327289d2a9e77a16d541bac6e3e96f8e801c226e81a367bece"}""".formatted(UUID.randomUUID(), gun);
        queue.send(marker, MessageParser.TRUST_CHANGES, null);
        String token = new ApiClient(base).adminToken();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonObject> stored;
        while ((stored = records(feed(gun, "?records=100", token))).size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        // the marker may come first (32 consumers), but one message's changes are stored together, in order
        List<String> times = stored.stream()
                .map(r -> r.getString("Category") + " " + r.getString("CreatedAt"))
                .toList();
        assertEquals(3, times.size(), times.toString());
        int update = times.indexOf("update 2026-01-02T03:04:05.123456Z");
        assertTrue(update >= 0 && "deletion 2026-01-02T03:06:00Z".equals(times.get(update + 1)), times.toString());
        assertTrue(times.contains("update 2026-01-02T03:07:00Z"), times.toString());
        HttpResponse<String> rejected = new ApiClient(base).get("/api/rejected-messages?limit=100", token);
        assertTrue(rejected.body().contains("records[1].SHA256 must be the lowercase hex SHA-256"), rejected.body());
    }

    @Test
    void aReaderPagingForwardMissesNothingWhileWritersRace() throws Exception {
        String gun = "race/" + UUID.randomUUID();
        int writers = 6;
        int perWriter = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    slowWriter.write(update(gun, writer * 1000 + i + 1), 15);
                }
                return null;
            }));
        }
        String token = new ApiClient(base).adminToken();
        List<String> seen = new ArrayList<>();
        Set<Integer> versions = new LinkedHashSet<>();
        String cursor = "0";
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (seen.size() < writers * perWriter && System.nanoTime() < deadline) {
            List<JsonObject> page = records(feed(gun, "?change_id=" + cursor + "&records=7", token));
            for (JsonObject record : page) {
                seen.add(record.getString("ID"));
                assertTrue(versions.add(record.getInt("Version")), "seen twice: " + record);
            }
            if (!page.isEmpty()) {
                cursor = ids(page).get(page.size() - 1);
            }
            Thread.sleep(20);
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(writers * perWriter, versions.size(), "a forward reader missed changes");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(Long.parseLong(seen.get(i)) > Long.parseLong(seen.get(i - 1)));
        }
        assertNotEquals("0", seen.get(0));
    }
}
