package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@link ProductionST}'s scenarios on a full server, set up from its distribution on Maven Central
 * by the project's server-config script as an administrator applies it, with the WAR the build
 * produced, unchanged; and then what only a full server's schedule shows: an archive run started
 * by its timer, verified, with a query and a GUN's changefeed; the service's Prometheus figures; and
 * the follower of a real notary-server. {@link PayaraServerST} and {@link WildFlyST} say which server.
 */
abstract class FullServerST extends ProductionST {

    static final String ARCHIVED = "full-server-st.example.com";
    static final int OLD_EVENTS = 20;

    /** The stack on this class's server, the environment reaching the server process. */
    abstract ProductionStack startOnServer(Map<String, String> environment) throws Exception;

    static final String ADMIN_PASSWORD = "full-server-st-admin";
    static final String FOLLOWED_GUN = "notary-full-st.example.com/team/signed";
    NotaryUnderTest notary;

    @Override
    ProductionStack startStack() throws Exception {
        String name = getClass().getSimpleName().toLowerCase(Locale.ROOT);
        notary = NotaryUnderTest.prepare(
                Path.of("target", "st", "notary-" + name).toAbsolutePath(), "notary_" + name);
        ProductionStack stack = startOnServer(Map.ofEntries(
                Map.entry("REGISTRY_AUDIT_ARCHIVE_INTERVAL_MINUTES", "1"),
                Map.entry("REGISTRY_AUDIT_CHANGEFEED_FRESHNESS_SECONDS", "2"),
                // the timer's first run soon after each start, so that test 5 waits seconds, not a minute
                Map.entry("REGISTRY_AUDIT_ARCHIVE_FIRST_RUN_SECONDS", "10"),
                // a Notary server, followed as admin (whose password is therefore configured)
                Map.entry("REGISTRY_AUDIT_ADMIN_PASSWORD", ADMIN_PASSWORD),
                Map.entry("REGISTRY_AUDIT_NOTARY_FOLLOWERS", "st"),
                Map.entry("REGISTRY_AUDIT_NOTARY_ST_URL", notary.url()),
                Map.entry("REGISTRY_AUDIT_NOTARY_ST_CA_FILE", notary.caFile().toString()),
                Map.entry("REGISTRY_AUDIT_NOTARY_ST_USERNAME", "admin"),
                Map.entry("REGISTRY_AUDIT_NOTARY_ST_PASSWORD", ADMIN_PASSWORD),
                Map.entry("REGISTRY_AUDIT_NOTARY_POLL_SECONDS", "1"),
                Map.entry("REGISTRY_AUDIT_NOTARY_SETTLE_SECONDS", "1")));
        notary.start(stack);
        System.out.printf(
                "%s: deployed %s, SHA-256 %s, the file the Payara Micro tests run%n",
                getClass().getSimpleName(),
                stack.war(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(stack.war()))));
        // events past their retention: an archive timer's run (10 s after a start) takes them
        Instant old = Instant.now().minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.HOURS);
        JsonArrayBuilder pushes = Json.createArrayBuilder();
        for (int i = 0; i < OLD_EVENTS; i++) {
            pushes.add(Json.createObjectBuilder()
                    .add("EventId", "full-archive-" + i)
                    .add("TimeGenerated", old.plusSeconds(i).toString())
                    .add("OperationName", "Push")
                    .add("Repository", "team/old")
                    .add("Tag", "v" + i));
        }
        try (JMSContext context = new ActiveMQConnectionFactory(
                        stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD)
                .createContext()) {
            Queue queue = context.createQueue(QUEUE);
            JMSProducer producer = context.createProducer().setProperty("loginServer", ARCHIVED);
            producer.setProperty("contentType", "application/vnd.registryaudit.repository-event+json")
                    .send(queue, pushes.build().toString());
            producer.setProperty("contentType", "application/vnd.registryaudit.trust-change+json")
                    .send(queue, """
                    {"EventId":"full-trust-1","CreatedAt":"%s","GUN":"%s/team/app","Category":"update",
                     "Version":1,"SHA256":"%s","Source":"full-server-st"}""".formatted(Instant.now(), ARCHIVED, "cd".repeat(32)));
        }
        return stack;
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    @Test
    @Order(5)
    void itsTimerArchivesAndTheArchiveVerifies() throws Exception {
        String token = stack.adminToken();
        // the kill -9 test restarted the server: its timer's first run is 10 s after that (or the one
        // before the kill took them); nothing here starts a run
        await("the timer archived the old events", Duration.ofSeconds(180), () -> {
            try {
                return count("select count(*) from ContainerRegistryRepositoryEvents where LoginServer = ?", ARCHIVED)
                                == 0
                        && count("select count(*) from ArchivedFiles where LoginServer = ?", ARCHIVED) == 1;
            } catch (Exception e) {
                return false;
            }
        });
        JsonObject status = json(stack.get("/api/archive", token).body());
        assertTrue(!status.containsKey("lastError") || status.isNull("lastError"), status.toString());
        try (var files = Files.walk(stack.dataDirectory().resolve("archive"))) {
            String archived = String.join(
                    "\n",
                    files.filter(f -> f.toString().contains("/REGISTRIES/" + ARCHIVED + "/")
                                    && f.getFileName().toString().startsWith("PT1H"))
                            .map(f -> {
                                try {
                                    return Files.readString(f);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                            .toList());
            for (int i = 0; i < OLD_EVENTS; i++) {
                assertTrue(archived.contains("\"full-archive-" + i + "\""), "full-archive-" + i + " archived");
            }
        }
        JsonObject verification =
                json(stack.get("/api/archive/verification", token).body());
        assertTrue(verification.getBoolean("ok"), verification.toString());

        HttpResponse<String> query = stack.post(
                "/api/query",
                Json.createObjectBuilder()
                        .add(
                                "query",
                                "ContainerRegistryRepositoryEvents | where LoginServer == \"st.example.com\" | summarize n = count()")
                        .build()
                        .toString(),
                token);
        assertEquals(200, query.statusCode(), query.body());
        assertEquals(
                17,
                json(query.body())
                        .getJsonArray("tables")
                        .getJsonObject(0)
                        .getJsonArray("rows")
                        .getJsonArray(0)
                        .getJsonNumber(0)
                        .longValue(),
                query.body());
        HttpResponse<String> bad =
                stack.post("/api/query", "{\"query\":\"ContainerRegistryRepositoryEvents | wher\"}", token);
        assertEquals(400, bad.statusCode());
        assertTrue(
                bad.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), bad.body());
        // a parameter that does not convert is a 400 naming it, on this server's JAX-RS too
        HttpResponse<String> badTime = stack.get("/api/repository-events?from=yesterday&limit=ten", token);
        assertEquals(400, badTime.statusCode(), badTime.body());
        assertTrue(
                badTime.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                badTime.body());
        assertTrue(badTime.body().contains("from must be an RFC 3339 time"), badTime.body());

        HttpResponse<String> feed =
                stack.get("/v2/" + ARCHIVED + "/team/app/_trust/changefeed?change_id=0&records=10", token);
        assertEquals(200, feed.statusCode(), feed.body());
        assertEquals(1, json(feed.body()).getInt("count"), feed.body());
    }

    @Test
    @Order(6)
    void publishesItsFiguresForPrometheus() throws Exception {
        HttpResponse<String> metrics = stack.metrics();
        assertEquals(200, metrics.statusCode(), metrics.body());
        for (String figure : List.of(
                "registry_audit_events_stored_total{",
                "registry_audit_ingest_messages",
                "registry_audit_queue_depth",
                "registry_audit_rejected_messages",
                "registry_audit_archive_lag_seconds")) {
            assertTrue(metrics.body().contains(figure), figure + " in " + metrics.body());
        }
    }

    @Test
    @Order(7)
    void followsARealNotaryServer() throws Exception {
        String admin = stack.adminPassword();
        notary.client("admin", admin, "init", FOLLOWED_GUN, "--publish");
        Path target = notary.caFile().resolveSibling("target-v1.txt");
        Files.writeString(target, FOLLOWED_GUN + " v1");
        notary.client("admin", admin, "add", FOLLOWED_GUN, "v1", target.toString());
        notary.client("admin", admin, "publish", FOLLOWED_GUN);
        List<String> theirs = ChangefeedST.changes(notary.feed(stack, "admin", admin, FOLLOWED_GUN, "?records=100"));
        assertEquals(2, theirs.size(), theirs.toString());
        await("the follower has the Notary server's changes", Duration.ofSeconds(60), () -> {
            try {
                HttpResponse<String> ours =
                        stack.get("/v2/" + FOLLOWED_GUN + "/_trust/changefeed?records=100", stack.adminToken());
                return ChangefeedST.changes(json(ours.body()).getJsonArray("records").stream()
                                .map(JsonValue::asJsonObject)
                                .toList())
                        .equals(theirs);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * Streaming on this server: a syslog collector (Debian's rsyslog, plain TCP), the server's own
     * broker's topic and a live tail of the same events: the outbox, the delivering threads, the
     * JMS topic and Server-Sent Events through this server's own JAX-RS, JPA and messaging.
     */
    @Test
    @Order(8)
    void streamsToACollectorATopicAndALiveTail() throws Exception {
        String token = stack.adminToken();
        String server = "stream-" + getClass().getSimpleName().toLowerCase(Locale.ROOT) + ".example.com";
        try (SyslogCollector collector = SyslogCollector.start(
                        stack.root().resolve("rsyslog"), ProductionStack.freePort(), false, null);
                JMSContext subscriber = broker().createContext();
                SseClient tail =
                        new SseClient(stack.url("/api/stream/repository-events?loginServer=" + server), token, null)) {
            assertEquals(200, tail.status, tail.errorBody);
            java.util.Set<String> onTopic = java.util.concurrent.ConcurrentHashMap.newKeySet();
            subscriber
                    .createConsumer(subscriber.createTopic("registry-audit.stream"))
                    .setMessageListener(m -> {
                        try {
                            onTopic.add(m.getStringProperty("recordId"));
                        } catch (jakarta.jms.JMSException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            for (String[] d : List.of(
                    new String[] {"collector", "SYSLOG_TCP", "127.0.0.1:" + collector.port, "JSON"},
                    new String[] {"topic", "JMS_TOPIC", "registry-audit.stream", "OCSF"})) {
                HttpResponse<String> created = stack.put(
                        "/api/stream-destinations/" + d[0],
                        "{\"transport\":\"%s\",\"address\":\"%s\",\"format\":\"%s\"}".formatted(d[1], d[2], d[3]),
                        token);
                assertEquals(200, created.statusCode(), created.body());
            }
            HttpResponse<String> setting = stack.put(
                    "/api/diagnostic-settings/" + server + "/ContainerRegistryRepositoryEvents",
                    "{\"collect\":true,\"archive\":true,\"retentionDays\":90,\"streamTo\":[\"collector\",\"topic\"]}",
                    token);
            assertEquals(200, setting.statusCode(), setting.body());
            List<String> ids = java.util.stream.IntStream.range(0, 20)
                    .mapToObj(i -> server + "-" + i)
                    .toList();
            try (JMSContext context = broker().createContext()) {
                JsonArrayBuilder events = Json.createArrayBuilder();
                for (String id : ids) {
                    events.add(Json.createObjectBuilder()
                            .add("EventId", id)
                            .add("TimeGenerated", Instant.now().toString())
                            .add("LoginServer", server)
                            .add("OperationName", "Push")
                            .add("Repository", "team/app")
                            .add("Identity", "alice"));
                }
                context.createProducer()
                        .setProperty("contentType", "application/vnd.registryaudit.repository-event+json")
                        .send(context.createQueue(QUEUE), events.build().toString());
            }
            await("the collector has the 20 events", Duration.ofSeconds(60), () -> {
                try {
                    List<String> lines = collector.lines();
                    return ids.stream().allMatch(id -> lines.stream().anyMatch(l -> l.contains("id=\"" + id + "\"")));
                } catch (IOException e) {
                    return false;
                }
            });
            await("the topic has the 20 events", Duration.ofSeconds(30), () -> onTopic.containsAll(ids));
            await("the live tail has the 20 events", Duration.ofSeconds(30), () -> tail.events.size() >= 20);
            assertEquals(
                    java.util.Set.copyOf(ids),
                    java.util.Set.copyOf(tail.events.stream()
                            .map(e -> json(e.data()).getString("EventId"))
                            .toList()));
        }
    }

    @Test
    @Order(9)
    void servesTheBrowserConsole() throws Exception {
        // the console's pages on this server (ConsoleST drives them in a browser on Payara Micro)
        for (String file :
                List.of("/console/index.html", "/console/app.js", "/console/views/logs.js", "/console/console.css")) {
            HttpResponse<String> r = stack.get(file, null);
            assertEquals(
                    200,
                    r.statusCode(),
                    file + ": " + r.headers().firstValue("Location").orElse("") + " " + r.body());
            assertTrue(
                    r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"), file);
        }
        assertTrue(stack.get("/console/index.html", null).body().contains("<script type=\"module\" src=\"app.js\">"));
        HttpResponse<String> outside = stack.get("/console/%2e%2e/WEB-INF/web.xml", null);
        assertTrue(
                outside.statusCode() == 404 || outside.statusCode() == 400,
                outside.statusCode() + " " + outside.body());
        assertTrue(!outside.body().contains("web-app"), outside.body());
    }

    @AfterAll
    void stopNotary() throws Exception {
        if (notary != null) {
            notary.close();
        }
    }
}
