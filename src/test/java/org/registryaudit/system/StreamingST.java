package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Streaming on the production shape (Payara Micro, PostgreSQL, the standalone Artemis broker) to
 * real receivers: Debian's rsyslog over TLS (a test CA) and over plain TCP, a webhook endpoint that
 * checks signatures with the Standard Webhooks library, and a JMS subscriber of the topic. Records
 * are read back one by one; a collector that is down, and kill -9 of the server during delivery,
 * lose nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingST {

    static final String SECRET =
            "whsec_" + java.util.Base64.getEncoder().encodeToString("st-webhook-signing-key-32-bytes!".getBytes());
    static final String TOPIC = "registry-audit.stream";
    static final String SERVER = "stream.example.com";
    /** RFC 5424 with octet-counting taken off by rsyslog: PRI, version, time, host, app, procid, msgid, SD, msg. */
    static final Pattern SYSLOG = Pattern.compile(
            "<(\\d+)>1 (\\S+) (\\S+) registry-audit - (\\S+) \\[audit@32473 id=\"([^\"]+)\" category=\"([^\"]+)\"\\] (.*)");

    ProductionStack stack;
    String token;
    Path certificates;
    SyslogCollector tls;
    SyslogCollector tcp;
    WebhookReceiver hook;
    JMSContext subscriber;
    final Map<String, Integer> onTopic = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        Path root = Path.of("target", "streaming-st").toAbsolutePath();
        ProductionStack.deleteRecursively(root);
        certificates = root.resolve("ca");
        SyslogCollector.makeCertificates(certificates);
        tls = SyslogCollector.start(root.resolve("rsyslog-tls"), ProductionStack.freePort(), true, certificates);
        tcp = SyslogCollector.start(root.resolve("rsyslog-tcp"), ProductionStack.freePort(), false, certificates);
        hook = new WebhookReceiver(SECRET);
        stack = ProductionStack.start(
                "registry_audit_stream_st",
                Map.of("REGISTRY_AUDIT_STREAM_HOOK_SECRET", SECRET, "REGISTRY_AUDIT_STREAM_MAX_RETRY_SECONDS", "4"));
        token = stack.adminToken();
        subscriber = broker().createContext();
        JMSConsumer consumer = subscriber.createConsumer(subscriber.createTopic(TOPIC));
        consumer.setMessageListener(m -> {
            try {
                onTopic.merge(m.getStringProperty("recordId"), 1, Integer::sum);
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {subscriber, stack, hook, tls, tcp}) {
            if (c != null) {
                c.close();
            }
        }
    }

    ActiveMQConnectionFactory broker() {
        return new ActiveMQConnectionFactory(
                stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD);
    }

    static void await(String what, Duration timeout, Supplier<Boolean> condition) throws Exception {
        ProductionST.await(what, timeout, condition);
    }

    /** n repository events with ids prefix-0…, several to a JMS message. */
    List<String> send(String prefix, int n, int perMessage) {
        return send(prefix, n, perMessage, "team/app");
    }

    List<String> send(String prefix, int n, int perMessage, String repository) {
        List<String> ids = IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
        try (JMSContext context = broker().createContext()) {
            Queue queue = context.createQueue("registry-audit.events");
            JMSProducer producer = context.createProducer()
                    .setProperty("contentType", "application/vnd.registryaudit.repository-event+json");
            for (int from = 0; from < n; from += perMessage) {
                StringBuilder body = new StringBuilder("[");
                for (int i = from; i < Math.min(n, from + perMessage); i++) {
                    body.append(i > from ? "," : "")
                            .append("{\"EventId\":\"")
                            .append(ids.get(i))
                            .append("\",\"TimeGenerated\":\"")
                            .append(Instant.now())
                            .append("\",\"LoginServer\":\"")
                            .append(SERVER)
                            .append("\",\"OperationName\":\"")
                            .append(i % 3 == 0 ? "Pull" : "Push")
                            .append("\",\"Repository\":\"")
                            .append(repository)
                            .append("\",\"Tag\":\"v")
                            .append(i)
                            .append(
                                    "\",\"Identity\":\"alice\",\"ResultType\":\"200\",\"CallerIpAddress\":\"10.0.0.7\"}");
                }
                producer.send(queue, body.append(']').toString());
            }
        }
        return ids;
    }

    /** What a collector wrote, by record id: the parsed message of each arrival. */
    static Map<String, List<Matcher>> received(SyslogCollector collector) throws Exception {
        Map<String, List<Matcher>> byId = new HashMap<>();
        for (String line : collector.lines()) {
            Matcher m = SYSLOG.matcher(line);
            assertTrue(m.matches(), "an RFC 5424 message: " + line);
            byId.computeIfAbsent(m.group(5), k -> new ArrayList<>()).add(m);
        }
        return byId;
    }

    static Supplier<Boolean> allIn(Supplier<Set<String>> received, List<String> ids) {
        return () -> received.get().containsAll(ids);
    }

    Supplier<Set<String>> ids(SyslogCollector collector) {
        return () -> {
            try {
                return received(collector).keySet();
            } catch (Exception e) {
                return Set.of();
            }
        };
    }

    HttpResponse<String> putDestination(String name, JsonObject body) throws Exception {
        return stack.put("/api/stream-destinations/" + name, body.toString(), token);
    }

    /** An await that, when it times out, says what the destinations report (backlog, errors, lease). */
    void awaitAfterRestart(String what, Duration timeout, Supplier<Boolean> condition) throws Exception {
        try {
            await(what, timeout, condition);
        } catch (AssertionError e) {
            token = stack.adminToken();
            throw new AssertionError(
                    e.getMessage() + "; the destinations report "
                            + stack.get("/api/stream-destinations", token).body(),
                    e);
        }
    }

    JsonObject destination(String name) throws Exception {
        HttpResponse<String> r = stack.get("/api/stream-destinations/" + name, token);
        assertEquals(200, r.statusCode(), r.body());
        try (var reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    @Test
    @Order(1)
    void everyRecordReachesEveryDestinationInItsFormat() throws Exception {
        String ca = Files.readString(certificates.resolve("ca.pem"));
        assertEquals(
                200,
                putDestination(
                                "siem",
                                Json.createObjectBuilder()
                                        .add("transport", "SYSLOG_TLS")
                                        .add("address", "localhost:" + tls.port)
                                        .add("format", "OCSF")
                                        .add("caCertificates", ca)
                                        .build())
                        .statusCode());
        assertEquals(
                200,
                putDestination(
                                "legacy-siem",
                                Json.createObjectBuilder()
                                        .add("transport", "SYSLOG_TCP")
                                        .add("address", "127.0.0.1:" + tcp.port)
                                        .add("format", "CEF")
                                        .build())
                        .statusCode());
        HttpResponse<String> created = putDestination(
                "hook",
                Json.createObjectBuilder()
                        .add("transport", "WEBHOOK")
                        .add("address", hook.url())
                        .add("format", "CLOUDEVENTS")
                        .add("batchSize", 50)
                        .build());
        assertEquals(200, created.statusCode(), created.body());
        assertTrue(created.body().contains("\"secret\":\"configured\""), created.body());
        assertFalse(created.body().contains(SECRET.substring(6, 20)), "the secret is never shown");
        assertEquals(
                200,
                putDestination(
                                "topic",
                                Json.createObjectBuilder()
                                        .add("transport", "JMS_TOPIC")
                                        .add("address", TOPIC)
                                        .add("format", "JSON")
                                        .build())
                        .statusCode());
        HttpResponse<String> setting = stack.put(
                "/api/diagnostic-settings/" + SERVER + "/ContainerRegistryRepositoryEvents",
                "{\"collect\":true,\"archive\":true,\"retentionDays\":90,\"streamTo\":[\"siem\",\"legacy-siem\",\"hook\",\"topic\"]}",
                token);
        assertEquals(200, setting.statusCode(), setting.body());
        assertEquals(
                200,
                stack.put(
                                "/api/diagnostic-settings/*/ContainerRegistryLoginEvents",
                                "{\"collect\":true,\"archive\":true,\"retentionDays\":90,\"streamTo\":[\"siem\",\"hook\"]}",
                                token)
                        .statusCode());

        List<String> ids = send("st-stream", 600, 20);
        assertEquals(
                401,
                stack.getWithBasic("/auth/token", "admin", "wrong-password").statusCode());
        await("the TLS collector has every repository event", Duration.ofSeconds(60), allIn(ids(tls), ids));
        await("the TCP collector has every repository event", Duration.ofSeconds(60), allIn(ids(tcp), ids));
        await("the webhook has every repository event", Duration.ofSeconds(60), allIn(hook.arrivals::keySet, ids));
        await("the topic has every repository event", Duration.ofSeconds(60), allIn(onTopic::keySet, ids));

        Map<String, List<Matcher>> overTls = received(tls);
        for (String id : ids) {
            Matcher m = overTls.get(id).get(0);
            assertEquals("110", m.group(1), "log audit, informational");
            assertEquals(SERVER, m.group(3));
            JsonObject ocsf = Json.createReader(new StringReader(m.group(7))).readObject();
            assertEquals(6003, ocsf.getInt("class_uid"), m.group(7));
            assertEquals(id, ocsf.getJsonObject("metadata").getString("uid"));
            assertEquals(m.group(4).equals("Pull") ? 2 : 1, ocsf.getInt("activity_id"), m.group(7));
        }
        List<Matcher> logins = overTls.values().stream()
                .flatMap(List::stream)
                .filter(m -> m.group(6).equals("ContainerRegistryLoginEvents"))
                .toList();
        assertTrue(
                logins.stream()
                        .anyMatch(m -> m.group(1).equals("108")
                                && m.group(7).contains("\"class_uid\":3002")
                                && m.group(7).contains("\"status_id\":2")),
                "the failed login, as an OCSF failure, at warning");
        Map<String, List<Matcher>> overTcp = received(tcp);
        for (String id : ids) {
            String cef = overTcp.get(id).get(0).group(7);
            assertTrue(cef.startsWith("CEF:0|Registry Audit|registry-audit|1|ContainerRegistryRepositoryEvents:"), cef);
            assertTrue(cef.contains("externalId=" + id + " ") && cef.contains("suser=alice"), cef);
        }
        JsonObject event = hook.events.get(ids.get(7));
        assertEquals("org.registryaudit.ContainerRegistryRepositoryEvents.Push", event.getString("type"));
        assertEquals("/REGISTRIES/" + SERVER, event.getString("source"));
        assertEquals(
                "team/app",
                event.getJsonObject("data").getJsonObject("properties").getString("Repository"));
        assertEquals(0, hook.refused.get(), "every request verified with the Standard Webhooks library");
        assertTrue(hook.requests.get() < 600, "batches of up to 50: " + hook.requests.get() + " requests");

        JsonObject status = destination("hook");
        assertEquals(0, status.getJsonObject("backlog").getInt("records"), status.toString());
        assertTrue(status.getJsonNumber("delivered").longValue() >= 600, status.toString());
        assertTrue(status.getJsonObject("lag").getJsonNumber("p99Millis").longValue() < 10_000, status.toString());
        String metrics = stack.metrics().body();
        assertTrue(metrics.contains("registry_audit_stream_backlog"), metrics);
        assertTrue(metrics.contains("registry_audit_stream_delivered"), metrics);

        HttpResponse<String> test = stack.post("/api/stream-destinations/hook/test", "", token);
        assertEquals(202, test.statusCode(), test.body());
        String testId = test.body().replaceAll(".*\"recordId\":\"([^\"]+)\".*", "$1");
        await("the test record reached the webhook", Duration.ofSeconds(20), () -> hook.arrivals.containsKey(testId));
        assertEquals(
                0,
                stack.queryLong("select count(*) from ContainerRegistryLoginEvents where EventId = '" + testId + "'"),
                "a test record is not an event");
    }

    @Test
    @Order(2)
    void badSettingsAreRefusedWithTheReason() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "{\"transport\":\"SYSLOG_TLS\",\"address\":\"localhost:6514\",\"format\":\"CLOUDEVENTS\"}",
                "SYSLOG_TLS carries the formats");
        cases.put("{\"transport\":\"SYSLOG_TCP\",\"address\":\"localhost\",\"format\":\"CEF\"}", "host:port");
        cases.put(
                "{\"transport\":\"WEBHOOK\",\"address\":\"https://user:pw@siem.example.com/x\",\"format\":\"CLOUDEVENTS\"}",
                "credentials");
        cases.put(
                "{\"transport\":\"WEBHOOK\",\"address\":\"https://siem.example.com/x\",\"format\":\"CLOUDEVENTS\"}",
                "REGISTRY_AUDIT_STREAM_NEW_SECRET");
        cases.put(
                "{\"transport\":\"SYSLOG_TLS\",\"address\":\"localhost:6514\",\"format\":\"CEF\",\"caCertificates\":\"junk\"}",
                "certificates");
        cases.put(
                "{\"transport\":\"SYSLOG_TLS\",\"address\":\"localhost:6514\",\"format\":\"CEF\",\"batchSize\":0}",
                "batchSize");
        cases.put(
                "{\"transport\":\"SYSLOG_TLS\",\"address\":\"localhost:6514\",\"format\":\"CEF\",\"caCertificates\":\""
                        + "A".repeat(70_000) + "\"}",
                "at most 65536");
        cases.put(
                "{\"address\":\"" + "a".repeat(2000) + ":1\",\"transport\":\"SYSLOG_TCP\",\"format\":\"CEF\"}",
                "longer than 1024");
        cases.put("{\"transport\":\"CARRIER_PIGEON\",\"address\":\"x\",\"format\":\"CEF\"}", "");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = stack.put("/api/stream-destinations/new", c.getKey(), token);
            assertEquals(400, r.statusCode(), c.getKey() + " -> " + r.body());
            assertTrue(
                    r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
            assertTrue(r.body().contains(c.getValue()), c.getKey() + " -> " + r.body());
        }
        HttpResponse<String> unknown = stack.put(
                "/api/diagnostic-settings/*/ContainerRegistryRepositoryEvents",
                "{\"collect\":true,\"archive\":true,\"retentionDays\":90,\"streamTo\":[\"nowhere\"]}",
                token);
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("'nowhere', which is not a stream destination"), unknown.body());
        HttpResponse<String> trust = stack.put(
                "/api/diagnostic-settings/*/TrustChanges",
                "{\"collect\":true,\"archive\":true,\"retentionDays\":90,\"streamTo\":[\"hook\"]}",
                token);
        assertEquals(400, trust.statusCode(), trust.body());
        HttpResponse<String> inUse = stack.delete("/api/stream-destinations/hook", token);
        assertEquals(409, inUse.statusCode(), inUse.body());
        assertTrue(inUse.body().contains(SERVER + "/ContainerRegistryRepositoryEvents"), inUse.body());
        assertEquals(404, stack.delete("/api/stream-destinations/none", token).statusCode());
        assertEquals(401, stack.get("/api/stream-destinations", null).statusCode());
        assertFalse(stack.get("/api/stream-destinations", token).body().contains(SECRET.substring(6, 20)));
        for (String log : stack.serverLogs()) {
            assertFalse(log.contains(SECRET.substring(6, 20)), "the secret is never logged");
        }
    }

    @Test
    @Order(3)
    void aCollectorThatIsDownHoldsUpNothingAndGetsEverythingWhenBack() throws Exception {
        tcp.kill();
        List<String> ids = send("st-down", 300, 10);
        await(
                "the other destinations have every event",
                Duration.ofSeconds(60),
                () -> ids(tls).get().containsAll(ids)
                        && hook.arrivals.keySet().containsAll(ids)
                        && onTopic.keySet().containsAll(ids));
        assertEquals(
                300,
                stack.queryLong(
                        "select count(*) from ContainerRegistryRepositoryEvents where EventId like 'st-down-%'"));
        await("the TCP destination reports its failure", Duration.ofSeconds(30), () -> {
            try {
                JsonObject s = destination("legacy-siem");
                return s.getJsonNumber("failures").longValue() > 0
                        && s.containsKey("lastError")
                        && s.getJsonObject("backlog").getInt("records") == 300;
            } catch (Exception e) {
                return false;
            }
        });
        JsonObject down = destination("legacy-siem");
        assertTrue(down.getString("lastError").contains("Connection refused"), down.toString());
        tcp.startProcess();
        await("the TCP collector got everything once back", Duration.ofSeconds(60), allIn(ids(tcp), ids));
        await("its backlog is empty", Duration.ofSeconds(10), () -> {
            try {
                return destination("legacy-siem").getJsonObject("backlog").getInt("records") == 0;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(4)
    void killDuringDeliveryLosesNothing() throws Exception {
        hook.delayMillis = 100; // a busy receiver: delivery is under way when the server dies
        List<String> ids = send("st-kill", 3000, 50);
        await(
                "delivery under way",
                Duration.ofSeconds(60),
                () -> ids.stream().filter(hook.arrivals::containsKey).count() > 100);
        stack.killServer();
        long before = ids.stream().filter(hook.arrivals::containsKey).count();
        hook.delayMillis = 0;
        stack.startServer();
        awaitAfterRestart(
                "the webhook has every event after the restart",
                Duration.ofSeconds(120),
                allIn(hook.arrivals::keySet, ids));
        awaitAfterRestart(
                "the TLS collector has every event after the restart", Duration.ofSeconds(60), allIn(ids(tls), ids));
        awaitAfterRestart(
                "the topic has every event after the restart", Duration.ofSeconds(60), allIn(onTopic::keySet, ids));
        assertEquals(
                3000,
                stack.queryLong(
                        "select count(distinct EventId) from ContainerRegistryRepositoryEvents where EventId like 'st-kill-%'"));
        long repeated = ids.stream().filter(id -> hook.arrivals.get(id) > 1).count();
        Map<String, List<Matcher>> overTls = received(tls);
        long repeatedTls = ids.stream().filter(id -> overTls.get(id).size() > 1).count();
        long repeatedTopic = ids.stream().filter(id -> onTopic.get(id) > 1).count();
        System.out.printf(
                "StreamingST kill -9: %d of 3000 at the webhook before the kill; repeats after restart: webhook %d, syslog TLS %d, topic %d%n",
                before, repeated, repeatedTls, repeatedTopic);
        assertEquals(0, hook.refused.get());
    }

    @Test
    @Order(5)
    void liveTailsShowWhatTheCallerMayReadAndResumeWithoutAGap() throws Exception {
        String password = "carol-st-password-1";
        assertEquals(
                201,
                stack.put("/api/users/carol", """
                {"password":"%s","role":"auditor","grants":[{"repository":"team/*","actions":["pull"]}]}""".formatted(password), token).statusCode());
        String carol = ProductionStack.tokenOf(
                stack.getWithBasic("/auth/token", "carol", password).body());
        String path = "/api/stream/repository-events?loginServer=" + SERVER;
        try (SseClient admin = new SseClient(stack.url(path), token, null);
                SseClient auditor = new SseClient(stack.url(path), carol, null)) {
            assertEquals(200, auditor.status, auditor.errorBody);
            assertTrue(auditor.contentType.startsWith("text/event-stream"), auditor.contentType);
            List<String> team = send("st-tail-team", 20, 5, "team/app");
            List<String> other = send("st-tail-other", 20, 5, "other/secret");
            await("the admin's tail has all 40", Duration.ofSeconds(30), () -> admin.events.size() >= 40);
            await(
                    "the auditor's tail has the 20 of team/app",
                    Duration.ofSeconds(30),
                    () -> auditor.events.size() >= 20);
            Thread.sleep(1500); // anything that should not be there has had time to come
            // concurrent consumers store in their own order: the tail is in the order events arrived
            assertEquals(Set.copyOf(team), Set.copyOf(ids(auditor)), "only what carol may pull");
            assertEquals(20, auditor.events.size(), "each event once");
            Set<String> all = new java.util.HashSet<>(team);
            all.addAll(other);
            assertEquals(all, Set.copyOf(ids(admin)));
            assertEquals(40, admin.events.size(), "each event once");
            assertEquals(
                    "ContainerRegistryRepositoryEvents", auditor.events.get(0).name());
            assertTrue(
                    auditor.events.get(0).data().contains("\"Repository\":\"team/app\""),
                    auditor.events.get(0).data());

            // the auditor goes away after the 10th event, events keep coming, and the auditor resumes
            String tenth = auditor.events.get(9).id();
            List<String> afterTenth = ids(auditor).subList(10, 20);
            auditor.close();
            List<String> later = send("st-tail-later", 10, 5, "team/app");
            try (SseClient resumed = new SseClient(stack.url(path), carol, tenth)) {
                await(
                        "the resumed tail has the 10 after the 10th and the 10 new",
                        Duration.ofSeconds(30),
                        () -> resumed.events.size() >= 20);
                Thread.sleep(1000);
                List<String> got = ids(resumed);
                assertEquals(20, got.size(), "no repeat: " + got);
                assertEquals(afterTenth, got.subList(0, 10), "it goes on exactly after the 10th");
                assertEquals(Set.copyOf(later), Set.copyOf(got.subList(10, 20)), "and on to the new ones");
            }
        }
        HttpResponse<String> bad = stack.get("/api/stream/repository-events?lastEventId=nonsense", carol);
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("cursor 'nonsense' is not one this API returned"), bad.body());
        // a caller's limit: a user of its own, since a closed tail counts until a write to it fails
        assertEquals(
                201,
                stack.put("/api/users/dave", """
                {"password":"%s","role":"auditor","grants":[]}""".formatted(password), token).statusCode());
        String dave = ProductionStack.tokenOf(
                stack.getWithBasic("/auth/token", "dave", password).body());
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(new SseClient(stack.url(path), dave, null));
                assertEquals(200, open.get(i).status, open.get(i).errorBody);
            }
            SseClient fifth = new SseClient(stack.url(path), dave, null);
            open.add(fifth);
            assertEquals(429, fifth.status, fifth.errorBody);
            assertTrue(fifth.errorBody.contains("dave has 4 live tails open already"), fifth.errorBody);
        } finally {
            for (SseClient c : open) {
                c.close();
            }
        }
        assertEquals(401, stack.get("/api/stream/login-events", null).statusCode());
    }

    static List<String> ids(SseClient client) {
        return client.events.stream()
                .map(e -> Json.createReader(new StringReader(e.data()))
                        .readObject()
                        .getString("EventId"))
                .toList();
    }
}
