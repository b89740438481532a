package org.registryaudit.ingest.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.UserTransaction;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.registryaudit.ApiClient;
import org.registryaudit.events.control.EventFilter;
import org.registryaudit.events.control.EventQuery;
import org.registryaudit.events.control.Page;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.ingest.control.AuditQueue;
import org.registryaudit.ingest.control.GroupCommit;
import org.registryaudit.ingest.control.MessageParser;
import org.registryaudit.ingest.entity.RejectedMessage;
import org.registryaudit.ingest.entity.RejectedMessageRecord;
import org.registryaudit.metrics.control.MetricFolder;
import org.registryaudit.platform.control.GroupedWork;
import org.registryaudit.platform.entity.Visibility;

/**
 * The packaged WAR in Payara Micro with the embedded broker and H2: MDB delivery, de-duplication,
 * rejected messages, rollback and redelivery, and the HTTP contract (webhook, token, read API).
 * One class, so one server boot.
 */
@ExtendWith(ArquillianExtension.class)
class IngestIT {

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/registry-audit.war"))
                .addClasses(FailOnce.class, ApiClient.class);
    }

    @Inject
    AuditQueue queue;

    @Inject
    EventQuery query;

    @Inject
    GroupCommit commits;

    @Inject
    MetricFolder folder;

    @Resource(lookup = AuditQueue.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    @Resource
    UserTransaction transaction;

    @ArquillianResource
    URL base;

    static String envelope(String id, String action, String repository, String tag) {
        return """
                {"events":[{"id":"%s","timestamp":"%s","action":"%s",
                  "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"%s","tag":"%s",
                            "digest":"sha256:0123","url":"http://reg:5000/v2/%s/manifests/sha256:0123"},
                  "request":{"id":"req-%s","addr":"10.1.2.3:4242","host":"reg:5000","method":"PUT","useragent":"it"},
                  "actor":{"name":"it-user"},"source":{"addr":"reg:5000"}}]}""".formatted(id, Instant.now(), action, repository, tag, repository, id);
    }

    private List<RepositoryEventRecord> stored(String repository) {
        Page<RepositoryEventRecord> page = query.repositoryEvents(
                new EventFilter(null, repository, null, null, null, null, null, null, null),
                Visibility.EVERYTHING,
                null,
                1000);
        return page.items();
    }

    private Page<RejectedMessageRecord> rejects() {
        return query.page(
                RejectedMessage.class,
                "receivedAt",
                Map.of(),
                Visibility.EVERYTHING,
                null,
                null,
                null,
                1000,
                RejectedMessage::getReceivedAt,
                RejectedMessage::getId,
                RejectedMessageRecord::full);
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void storesAQueuedNotification() throws Exception {
        String id = UUID.randomUUID().toString();
        queue.send(envelope(id, "push", "it/delivery", "1.0"), MessageParser.DISTRIBUTION_V1, "registry.example.com");
        await("the push is stored", () -> stored("it/delivery").size() == 1);
        RepositoryEventRecord event = stored("it/delivery").get(0);
        assertEquals(id, event.eventId());
        assertEquals("Push", event.operationName());
        assertEquals("registry.example.com", event.loginServer());
        assertEquals("10.1.2.3", event.callerIpAddress());
        assertEquals("it-user", event.identity());
        assertNotNull(event.receivedAt());
    }

    @Test
    void storesTheSameEventIdOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = envelope(id, "pull", "it/dedup", "latest");
        for (int i = 0; i < 5; i++) {
            queue.send(body, MessageParser.DISTRIBUTION_V1, null);
        }
        String marker = UUID.randomUUID().toString();
        queue.send(envelope(marker, "pull", "it/dedup", "marker"), MessageParser.DISTRIBUTION_V1, null);
        await("all six messages are consumed", () -> stored("it/dedup").size() >= 2 && queueIsDrained());
        assertEquals(
                List.of(id, marker).stream().sorted().toList(),
                stored("it/dedup").stream()
                        .map(RepositoryEventRecord::eventId)
                        .sorted()
                        .toList());
    }

    @Test
    void storesManyConsumersMessagesTogetherAndABadOneFailsOnlyItself() throws Exception {
        String repository = "it/group-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        String garbage = "not json, in a group " + UUID.randomUUID();
        String reused = UUID.randomUUID().toString();
        GroupedWork.Figures before = commits.figures();
        transaction.begin(); // one transaction: all of them reach the consumers at once
        try {
            for (int i = 0; i < 60; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                for (int copy = 0; copy < (i % 10 == 0 ? 3 : 1); copy++) { // some ids arrive three times
                    send(envelope(id, "push", repository, "t" + i));
                }
                if (i == 30) {
                    send(garbage);
                    send(envelope(reused, "push", repository, "first"));
                }
            }
            send(envelope(reused, "push", repository, "other-content"));
            transaction.commit();
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        ids.add(reused);
        await("every valid event is stored", () -> stored(repository).size() >= ids.size() && queueIsDrained());
        assertEquals(
                ids.stream().sorted().toList(),
                stored(repository).stream()
                        .map(RepositoryEventRecord::eventId)
                        .sorted()
                        .toList());
        // consumers run in parallel, so either content of the reused id may come first: that one stands
        String kept = stored(repository).stream()
                .filter(e -> e.eventId().equals(reused))
                .findFirst()
                .orElseThrow()
                .tag();
        await(
                "the garbage and the other content of the reused id are kept as rejected",
                () -> rejects().items().stream()
                                .filter(r -> r.body().equals(garbage)
                                        || (r.reason().startsWith("EventId " + reused)
                                                && !r.body().contains("\"tag\":\"" + kept + "\"")))
                                .count()
                        == 2);
        GroupedWork.Figures after = commits.figures();
        assertTrue(after.largest() > 1, "some transaction stored several consumers' messages: " + after);
        assertTrue(after.items() - before.items() >= 65, "every message was committed: " + after);
    }

    private void send(String body) {
        queue.send(body, MessageParser.DISTRIBUTION_V1, null);
    }

    private boolean queueIsDrained() {
        return queue.depth(1) == 0;
    }

    @Test
    void keepsMalformedMessagesAndGoesOn() throws Exception {
        String garbage = "this is not json " + UUID.randomUUID();
        queue.send(garbage, MessageParser.DISTRIBUTION_V1, null);
        String valid = UUID.randomUUID().toString();
        queue.send(envelope(valid, "push", "it/after-garbage", "1"), MessageParser.DISTRIBUTION_V1, null);
        await(
                "the valid message after the garbage is stored",
                () -> stored("it/after-garbage").size() == 1);
        await(
                "the garbage is kept as rejected",
                () -> rejects().items().stream().anyMatch(r -> garbage.equals(r.body())));
        RejectedMessageRecord rejected = rejects().items().stream()
                .filter(r -> garbage.equals(r.body()))
                .findFirst()
                .orElseThrow();
        assertTrue(rejected.reason().startsWith("the body is not valid JSON"), rejected.reason());
        assertEquals("jms:registry-audit.events", rejected.source());

        // the same garbage again is not a second reject
        queue.send(garbage, MessageParser.DISTRIBUTION_V1, null);
        String marker = UUID.randomUUID().toString();
        queue.send(envelope(marker, "push", "it/after-garbage", "2"), MessageParser.DISTRIBUTION_V1, null);
        await("the marker is stored", () -> stored("it/after-garbage").size() == 2);
        assertEquals(
                1,
                rejects().items().stream().filter(r -> garbage.equals(r.body())).count());
    }

    @Test
    void readsBytesMessagesAndRejectsOtherTypes() throws Exception {
        String id = UUID.randomUUID().toString();
        try (JMSContext context = connectionFactory.createContext()) {
            BytesMessage bytes = context.createBytesMessage();
            bytes.writeBytes(envelope(id, "push", "it/bytes", "1").getBytes(StandardCharsets.UTF_8));
            context.createProducer().send(context.createQueue("registry-audit.events"), bytes);
            context.createProducer()
                    .setProperty("marker", id)
                    .send(context.createQueue("registry-audit.events"), context.createMapMessage());
        }
        await("the bytes message is stored", () -> stored("it/bytes").size() == 1);
        await(
                "the map message is rejected",
                () -> rejects().items().stream().anyMatch(r -> r.reason().startsWith("unsupported JMS message type")));
    }

    @Test
    void rollsBackAndRedeliversOnFailure() throws Exception {
        String id = UUID.randomUUID().toString();
        queue.send(envelope(id, "push", FailOnce.REPOSITORY, "1"), MessageParser.DISTRIBUTION_V1, null);
        await(
                "the event is stored after redelivery",
                () -> stored(FailOnce.REPOSITORY).size() == 1);
        assertEquals(2, FailOnce.ATTEMPTS.get(), "one failed attempt, one redelivery");
        assertTrue(
                rejects().items().stream().noneMatch(r -> r.body().contains(id)),
                "a transient failure never turns a valid event into a reject");
    }

    // ---- HTTP, as a client sees it ----

    private static String dataFile(String name) throws Exception {
        return ApiClient.dataFile(name);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return new ApiClient(base).send(request);
    }

    private URI uri(String path) {
        return new ApiClient(base).uri(path);
    }

    private String adminToken() throws Exception {
        return new ApiClient(base).adminToken();
    }

    @Test
    @RunAsClient
    void webhookNeedsTheSecretAndAJsonEnvelope() throws Exception {
        String body = envelope(UUID.randomUUID().toString(), "push", "it/webhook", "1");
        HttpRequest.Builder post = HttpRequest.newBuilder(uri("/notifications"))
                .header("Content-Type", MessageParser.DISTRIBUTION_V1)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> noSecret = send(post);
        assertEquals(401, noSecret.statusCode());
        assertEquals(
                "application/problem+json",
                noSecret.headers().firstValue("Content-Type").orElse(""));

        String secret = dataFile("notification-secret");
        assertEquals(
                202,
                send(post.header(NotificationsResource.SECRET_HEADER, secret)).statusCode());

        HttpRequest.Builder withSecret =
                HttpRequest.newBuilder(uri("/notifications")).header(NotificationsResource.SECRET_HEADER, secret);
        HttpResponse<String> notJson = send(withSecret
                .copy()
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\": 42}")));
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("a notification envelope must have an 'events' array"), notJson.body());
        HttpResponse<String> form = send(
                withSecret.copy().header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(415, form.statusCode());
        HttpResponse<String> huge = send(withSecret
                .copy()
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[\"" + "x".repeat(1_100_000) + "\"]}")));
        assertEquals(413, huge.statusCode());
    }

    /**
     * Nothing refused vanishes: webhook refusals, an over-long login server on either path, bytes
     * that are no UTF-8 and an EventId reused with other content each leave a rejected message
     * with the reason, and the valid messages beside them are stored.
     */
    @Test
    void refusalsReusedIdsAndBadBytesLeaveATrace() throws Exception {
        String secret = dataFile("notification-secret");
        String run = UUID.randomUUID().toString().substring(0, 8);
        HttpRequest.Builder post = HttpRequest.newBuilder(uri("/notifications?loginServer=" + "a".repeat(300)))
                .header(NotificationsResource.SECRET_HEADER, secret)
                .header("Content-Type", "application/json");
        HttpResponse<String> longServer = send(
                post.POST(HttpRequest.BodyPublishers.ofString(envelope("long-" + run, "push", "it/refused", "1"))));
        assertEquals(400, longServer.statusCode(), longServer.body());
        assertTrue(longServer.body().contains("loginServer is 300 characters long; at most 255"), longServer.body());
        byte[] bad = envelope("bytes-" + run, "push", "it/refused", "1").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 20] = (byte) 0xff;
        HttpResponse<String> notUtf8 = send(HttpRequest.newBuilder(uri("/notifications"))
                .header(NotificationsResource.SECRET_HEADER, secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bad)));
        assertEquals(400, notUtf8.statusCode());
        assertTrue(notUtf8.body().contains("the body is not UTF-8: byte " + (bad.length - 20)), notUtf8.body());
        HttpResponse<String> huge = send(HttpRequest.newBuilder(uri("/notifications"))
                .header(NotificationsResource.SECRET_HEADER, secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[\"" + run + "x".repeat(1_100_000) + "\"]}")));
        assertEquals(413, huge.statusCode());

        // JMS: the same over-long login server becomes a rejected message, not an endless redelivery
        queue.send(
                envelope("jms-long-" + run, "push", "it/refused", "1"), MessageParser.DISTRIBUTION_V1, "b".repeat(300));
        // an EventId reused with other content: the first stands, the second is kept as a rejection
        String reused = "reused-" + run;
        queue.send(envelope(reused, "push", "it/reused", "v1"), MessageParser.DISTRIBUTION_V1, null);
        await("the first push is stored", () -> stored("it/reused").size() == 1);
        queue.send(envelope(reused, "push", "it/reused", "v2"), MessageParser.DISTRIBUTION_V1, null);
        String after = "after-" + run;
        queue.send(envelope(after, "push", "it/reused", "v3"), MessageParser.DISTRIBUTION_V1, null);
        await("the valid push after them is stored", () -> stored("it/reused").size() == 2 && queueIsDrained());
        assertEquals(
                "v1",
                stored("it/reused").stream()
                        .filter(e -> e.eventId().equals(reused))
                        .findFirst()
                        .orElseThrow()
                        .tag());

        List<RejectedMessageRecord> found = rejects().items();
        for (String reason : List.of(
                "loginServer is 300 characters long",
                "the body is not UTF-8: byte",
                "the body is larger than 1048576 bytes",
                "EventId " + reused + " is stored already with other content")) {
            assertTrue(
                    found.stream()
                            .anyMatch(
                                    r -> r.reason().contains(reason) && r.body().contains(run)),
                    reason + " is not among "
                            + found.stream().map(RejectedMessageRecord::reason).toList());
        }
        assertEquals(
                2,
                found.stream()
                        .filter(r -> r.reason().contains("loginServer is 300")
                                && r.body().contains(run))
                        .count(),
                "one from the webhook, one from JMS");
    }

    /**
     * Bad requests from an attacker or a broken client: each a 4xx in problem+json with a useful
     * detail, never a 500, never the server's HTML page, never a class name or SQL.
     */
    @Test
    @RunAsClient
    void badRequestsGetAProblemNeverA500() throws Exception {
        ApiClient api = new ApiClient(base);
        String token = adminToken();
        Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        answers.put(
                "413 request body is larger than 1048576 bytes",
                api.send(api.request("/api/users/huge")
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + "p".repeat(1_200_000) + "\"}"))));
        answers.put(
                "400 must not hold null",
                api.send(api.request("/api/users/nulls")
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"long-enough\",\"grants\":[null]}"))));
        answers.put(
                "400 not the JSON this operation takes",
                api.send(api.request("/api/users/deep")
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"grants\":" + "[".repeat(1000) + "]".repeat(1000) + "}"))));
        answers.put("400 year 0001 to 9999", api.get("/api/repository-events?from=%2B10000-01-01T00:00:00Z", token));
        answers.put(
                "400 to must be an RFC 3339 time such as 2026-11-21T12:00:00Z, not 'yesterday'",
                api.get("/api/metrics?to=yesterday", token));
        answers.put(
                "400 limit must be a whole number from 1 to 1000, not 'ten'",
                api.get("/api/login-events?limit=ten", token));
        answers.put(
                "400 Division by zero",
                api.post(
                        "/api/query",
                        token,
                        "{\"query\":\"ContainerRegistryLoginEvents | extend x = 1 / 0 | take 1\"}"));
        answers.put("401 bearer token is missing, expired", api.get("/api/login-events", token + "x"));
        answers.put("404 no such resource", api.get("/api/no-such-thing", token));
        for (Map.Entry<String, HttpResponse<String>> answer : answers.entrySet()) {
            HttpResponse<String> response = answer.getValue();
            String[] expected = answer.getKey().split(" ", 2);
            assertEquals(
                    Integer.parseInt(expected[0]), response.statusCode(), answer.getKey() + ": " + response.body());
            assertTrue(
                    response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    answer.getKey() + ": " + response.headers());
            assertTrue(response.body().contains(expected[1]), answer.getKey() + ": " + response.body());
            assertTrue(
                    !response.body().contains("org.registryaudit")
                            && !response.body().contains("SELECT")
                            && !response.body().contains("SQL statement"),
                    response.body());
        }
        String challenge = answers.get("401 bearer token is missing, expired")
                .headers()
                .firstValue("WWW-Authenticate")
                .orElse("");
        assertTrue(challenge.startsWith("Bearer realm=\"") && challenge.contains("error=\"invalid_token\""), challenge);
    }

    @Test
    @RunAsClient
    void readApiNeedsATokenAndExplainsBadParameters() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/api/repository-events")));
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> wrongPassword = send(HttpRequest.newBuilder(uri("/auth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:nope".getBytes())));
        assertEquals(401, wrongPassword.statusCode());
        assertTrue(wrongPassword
                .headers()
                .firstValue("WWW-Authenticate")
                .orElse("")
                .startsWith("Basic"));

        String token = adminToken();
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/api/repository-events"))
                .header("Authorization", "Bearer " + token.substring(0, token.length() - 4) + "AAAA"));
        assertEquals(401, forged.statusCode());

        HttpResponse<String> badLimit = send(HttpRequest.newBuilder(uri("/api/repository-events?limit=5000"))
                .header("Authorization", "Bearer " + token));
        assertEquals(400, badLimit.statusCode());
        assertEquals(
                "application/problem+json",
                badLimit.headers().firstValue("Content-Type").orElse(""));
        assertTrue(badLimit.body().contains("limit must be a whole number from 1 to 1000"), badLimit.body());
        HttpResponse<String> badCursor = send(
                HttpRequest.newBuilder(uri("/api/login-events?cursor=xyz")).header("Authorization", "Bearer " + token));
        assertEquals(400, badCursor.statusCode());

        // keyset paging: three events, pages of two, no repeats and no gaps
        String secret = dataFile("notification-secret");
        for (int i = 0; i < 3; i++) {
            send(HttpRequest.newBuilder(uri("/notifications"))
                    .header(NotificationsResource.SECRET_HEADER, secret)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(envelope("page-" + i, "pull", "it/paging", "t" + i))));
        }
        String first = "";
        for (int attempt = 0; attempt < 600 && !first.contains("page-0"); attempt++) {
            Thread.sleep(100);
            first = send(HttpRequest.newBuilder(uri("/api/repository-events?repository=it/paging&limit=3"))
                            .header("Authorization", "Bearer " + token))
                    .body();
        }
        HttpResponse<String> page1 =
                send(HttpRequest.newBuilder(uri("/api/repository-events?repository=it/paging&limit=2"))
                        .header("Authorization", "Bearer " + token));
        String next = page1.body().replaceAll(".*\"next\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> page2 =
                send(HttpRequest.newBuilder(uri("/api/repository-events?repository=it/paging&limit=2&cursor=" + next))
                        .header("Authorization", "Bearer " + token));
        String both = page1.body() + page2.body();
        for (int i = 0; i < 3; i++) {
            assertEquals(1, both.split("\"page-" + i + "\"", -1).length - 1, both);
        }
        assertTrue(!page2.body().contains("\"next\""), "the second page is the last: " + page2.body());
    }

    @Test
    @RunAsClient
    void healthAndOpenApiAreOpen() throws Exception {
        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/health")));
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"database\"") && health.body().contains("\"broker\""), health.body());
        HttpResponse<String> openapi = send(HttpRequest.newBuilder(uri("/openapi")));
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.body().contains("/api/repository-events"), openapi.body());
    }

    // ---- metrics and queries ----

    @Test
    void countsEachStoredEventOnceAndAnswersQueries() throws Exception {
        String repository = "it/metrics-" + UUID.randomUUID();
        String pull = envelope(UUID.randomUUID().toString(), "pull", repository, "1.0");
        for (int i = 0; i < 4; i++) {
            queue.send(pull, MessageParser.DISTRIBUTION_V1, "metrics.example.com");
        }
        queue.send(
                envelope(UUID.randomUUID().toString(), "pull", repository, "2.0"),
                MessageParser.DISTRIBUTION_V1,
                "metrics.example.com");
        queue.send(
                envelope(UUID.randomUUID().toString(), "push", repository, "2.0"),
                MessageParser.DISTRIBUTION_V1,
                "metrics.example.com");
        await(
                "three distinct events are stored and the queue is drained",
                () -> stored(repository).size() == 3 && queueIsDrained());
        ApiClient api = new ApiClient(base);
        String token = adminToken();
        String metrics = "/api/metrics?loginServer=metrics.example.com&repository=" + repository;
        HttpResponse<String> hourly = api.get(metrics + "&metric=TotalPullCount,TotalPushCount", token);
        assertEquals(200, hourly.statusCode(), hourly.body());
        assertTrue(
                hourly.body()
                        .contains("\"MetricName\":\"TotalPullCount\",\"TimeGrain\":\"PT1H\",\"Total\":2,\"Count\":2"),
                "the redelivered pull counts once: " + hourly.body());
        assertTrue(
                hourly.body().contains("\"MetricName\":\"TotalPushCount\",\"TimeGrain\":\"PT1H\",\"Total\":1"),
                hourly.body());
        String query = "{\"query\": \"AzureMetrics | where Repository == '" + repository
                + "' | summarize Total = sum(Total) by MetricName | sort by MetricName asc\"}";
        HttpResponse<String> before = api.post("/api/query", token, query);
        assertEquals(200, before.statusCode(), before.body());
        assertTrue(
                before.body()
                        .startsWith("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"MetricName\","
                                + "\"type\":\"string\"},{\"name\":\"Total\",\"type\":\"long\"}],\"rows\":["),
                before.body());
        assertTrue(
                before.body()
                        .contains("[\"SuccessfulPullCount\",2],[\"SuccessfulPushCount\",1],[\"TotalPullCount\",2],"
                                + "[\"TotalPushCount\",1]"),
                before.body());

        assertTrue(folder.fold(Instant.now().plus(Duration.ofMinutes(2))) > 0, "the two pulls' rows are folded");
        assertEquals(before.body(), api.post("/api/query", token, query).body(), "folding keeps every count");

        HttpResponse<String> syntax = api.post(
                "/api/query",
                token,
                "{\"query\": \"ContainerRegistryRepositoryEvents\\n| where TimeGenerated > ago(1x)\"}");
        assertEquals(400, syntax.statusCode(), syntax.body());
        assertEquals(
                "application/problem+json",
                syntax.headers().firstValue("Content-Type").orElse(""));
        assertTrue(syntax.body().contains("line 2, column 29"), syntax.body());
        assertEquals(401, api.post("/api/query", null, query).statusCode());
        assertEquals(400, api.get(metrics + "&timeGrain=PT5M", token).statusCode());

        HttpResponse<String> prometheus = send(HttpRequest.newBuilder(uri("/metrics?scope=application")));
        assertEquals(200, prometheus.statusCode());
        for (String figure : List.of(
                "registry_audit_events_stored_total{",
                "table=\"ContainerRegistryRepositoryEvents\"",
                "registry_audit_queue_depth",
                "registry_audit_rejected_messages",
                "registry_audit_archive_lag_seconds")) {
            assertTrue(prometheus.body().contains(figure), figure + " in " + prometheus.body());
        }
    }

    // ---- the Log Analytics query API ----

    static final String ALL = "00000000-0000-0000-0000-000000000000";
    static final String ONE_REGISTRY = "11111111-1111-1111-1111-111111111111";
    static final String RESOURCE =
            "/subscriptions/it/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/one";

    /**
     * Azure's query API at its own paths (the workspaces and the resource of the ITs' post-boot
     * file): the body and the parameters, timespan as a duration and as intervals, the workspace's
     * and the resource's login servers, Prefer, and every error in Azure's shape.
     */
    @Test
    @RunAsClient
    void answersTheLogAnalyticsQueryApiAsAzureDoes() throws Exception {
        String repository = "it/log-analytics-" + UUID.randomUUID();
        String token = adminToken();
        ApiClient api = new ApiClient(base);
        String count = "ContainerRegistryRepositoryEvents | where Repository == '" + repository
                + "' | summarize n = count() by LoginServer | sort by LoginServer asc";
        String body = Json.createObjectBuilder()
                .add("query", count)
                .add("timespan", "PT1H")
                .build()
                .toString();
        // the events come through the webhook, one of each login server
        for (String server : List.of("one.example.com", "two.example.com")) {
            HttpResponse<String> sent = api.send(api.request("/notifications?loginServer=" + server)
                    .header("Content-Type", MessageParser.DISTRIBUTION_V1)
                    .header(NotificationsResource.SECRET_HEADER, dataFile("notification-secret"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            envelope(UUID.randomUUID().toString(), "push", repository, "1.0"))));
            assertEquals(202, sent.statusCode(), sent.body());
        }
        await("both events are stored", () -> {
            try {
                return api.post("/v1/workspaces/" + ALL + "/query", token, body)
                        .body()
                        .contains("two.example.com");
            } catch (Exception e) {
                return false;
            }
        });
        HttpResponse<String> all = api.send(api.request("/v1/workspaces/" + ALL + "/query")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Prefer", "wait=10, include-statistics=true, include-render=true")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, all.statusCode(), all.body());
        assertTrue(
                all.body()
                        .startsWith("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"LoginServer\","
                                + "\"type\":\"string\"},{\"name\":\"n\",\"type\":\"long\"}],\"rows\":"
                                + "[[\"one.example.com\",1],[\"two.example.com\",1]]}],\"statistics\":{\"query\":"
                                + "{\"executionTime\":"),
                all.body());
        assertEquals(
                "wait=10,include-statistics=true,include-render=true",
                all.headers().firstValue("Preference-Applied").orElse(""));

        String rendered = Json.createObjectBuilder()
                .add("query", count + " | render barchart")
                .build()
                .toString();
        HttpResponse<String> withRender = api.send(api.request("/v1/workspaces/" + ALL + "/query")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Prefer", "include-render=true")
                .POST(HttpRequest.BodyPublishers.ofString(rendered)));
        assertTrue(withRender.body().endsWith(",\"render\":{\"visualization\":\"barchart\"}}"), withRender.body());
        assertTrue(
                !api.post("/v1/workspaces/" + ALL + "/query", token, rendered)
                        .body()
                        .contains("render"),
                "the render only where Prefer asks for it");

        String rows = "[[\"one.example.com\",1]]";
        HttpResponse<String> workspace = api.post("/v1/workspaces/" + ONE_REGISTRY + "/query", token, body);
        assertTrue(
                workspace.body().contains("\"rows\":" + rows + "}"),
                "a workspace of one login server: " + workspace.body());
        HttpResponse<String> resource = api.post("/v1" + RESOURCE + "/query", token, body);
        assertTrue(resource.body().contains("\"rows\":" + rows + "}"), "the registry's resource: " + resource.body());
        String encoded = java.net.URLEncoder.encode(count, StandardCharsets.UTF_8);
        HttpResponse<String> get = api.get(
                "/v1/subscriptions/IT/resourcegroups/rg/providers/microsoft.containerregistry/registries/ONE/query?query="
                        + encoded + "&timespan=P1D",
                token);
        assertTrue(get.body().contains("\"rows\":" + rows + "}"), "GET, the id without case: " + get.body());

        Instant now = Instant.now();
        Map<String, String> windows = new LinkedHashMap<>();
        windows.put(now.minus(Duration.ofHours(1)) + "/" + now.plus(Duration.ofMinutes(1)), "2 rows");
        windows.put(now.minus(Duration.ofDays(2)) + "/PT1H", "0 rows");
        windows.put("PT1H/" + now.minus(Duration.ofHours(3)), "0 rows");
        windows.put("P1W", "2 rows");
        for (Map.Entry<String, String> window : windows.entrySet()) {
            String within = Json.createObjectBuilder()
                    .add("query", count)
                    .add("timespan", window.getKey())
                    .build()
                    .toString();
            JsonObject answer = Json.createReader(
                            new StringReader(api.post("/v1/workspaces/" + ALL + "/query", token, within)
                                    .body()))
                    .readObject();
            assertEquals(
                    window.getValue(),
                    answer.getJsonArray("tables")
                                    .getJsonObject(0)
                                    .getJsonArray("rows")
                                    .size() + " rows",
                    window.getKey());
        }

        Map<String, HttpResponse<String>> errors = new LinkedHashMap<>();
        errors.put(
                "400 BadArgumentError SyntaxError",
                api.post(
                        "/v1/workspaces/" + ALL + "/query",
                        token,
                        "{\"query\":\"ContainerRegistryRepositoryEvents\\n| where TimeGenerated > ago(1x)\"}"));
        errors.put(
                "400 BadArgumentError timespan",
                api.post(
                        "/v1/workspaces/" + ALL + "/query", token, "{\"query\":\"AzureMetrics\",\"timespan\":\"1h\"}"));
        errors.put("400 BadArgumentError query", api.post("/v1/workspaces/" + ALL + "/query", token, "{}"));
        errors.put("404 NotFoundError no workspace", api.post("/v1/workspaces/nope/query", token, body));
        errors.put(
                "404 NotFoundError no resource",
                api.post(
                        "/v1/subscriptions/x/resourceGroups/y/providers/Microsoft.ContainerRegistry/registries/z/query",
                        token,
                        body));
        errors.put("401 AuthenticationFailed JWT#none", api.post("/v1/workspaces/" + ALL + "/query", null, body));
        errors.put(
                "401 AuthenticationFailed bearer token#forged",
                api.post("/v1/workspaces/" + ALL + "/query", token + "x", body));
        for (Map.Entry<String, HttpResponse<String>> error : errors.entrySet()) {
            String[] expected = error.getKey().replaceAll("#.*", "").split(" ", 3);
            HttpResponse<String> response = error.getValue();
            assertEquals(Integer.parseInt(expected[0]), response.statusCode(), error.getKey() + ": " + response.body());
            assertEquals(
                    "application/json",
                    response.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""),
                    error.getKey());
            JsonObject e = Json.createReader(new StringReader(response.body()))
                    .readObject()
                    .getJsonObject("error");
            assertEquals(expected[1], e.getString("code"), response.body());
            assertTrue(
                    e.getString("message").contains(expected[2]) || e.toString().contains(expected[2]),
                    error.getKey() + ": " + response.body());
        }
        JsonObject inner = Json.createReader(new StringReader(
                        errors.get("400 BadArgumentError SyntaxError").body()))
                .readObject()
                .getJsonObject("error")
                .getJsonObject("innererror");
        assertEquals(2, inner.getInt("line"));
        assertEquals(29, inner.getInt("pos"));
    }
}
