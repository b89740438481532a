package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
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

import com.azure.core.credential.AccessToken;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.azure.monitor.query.models.LogsQueryResult;
import com.azure.monitor.query.models.QueryTimeInterval;

import reactor.core.publisher.Mono;

/**
 * System tests on the production shape: Payara Micro with PostgreSQL and a standalone Artemis
 * broker, fed by a JMS producer, by the real docker-registry (pushed to with skopeo), and killed
 * with -9 in the middle of ingest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionST {

    static final String QUEUE = "registry-audit.events";
    static ProductionStack stack;

    /** The stack the scenarios run on: Payara Micro here, a Payara Server domain in {@link PayaraServerST}. */
    ProductionStack startStack() throws Exception {
        return ProductionStack.start("registry_audit_st");
    }

    @BeforeAll
    void start() throws Exception {
        stack = startStack();
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static ActiveMQConnectionFactory broker() {
        return new ActiveMQConnectionFactory(
                stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD);
    }

    static long count(String sql, Object... params) throws Exception {
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static void await(String what, Duration timeout, Supplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(250);
        }
    }

    static Supplier<Boolean> rows(long expected, String sql, Object... params) {
        return () -> {
            try {
                return count(sql, params) >= expected;
            } catch (Exception e) {
                return false;
            }
        };
    }

    static String sample(String name) throws Exception {
        try (var in = ProductionST.class.getResourceAsStream("/notifications/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(1)
    void storesEveryProducerMessageOnceOnPostgres() throws Exception {
        List<String> samples;
        try (var files = Files.list(Path.of("src/test/resources/notifications"))) {
            samples = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (JMSContext context = broker().createContext()) {
            Queue queue = context.createQueue(QUEUE);
            JMSProducer producer = context.createProducer().setProperty("loginServer", "st.example.com");
            for (int round = 0; round < 2; round++) { // every body twice: a producer's at-least-once resend
                for (String name : samples) {
                    producer.setProperty("contentType", "application/vnd.docker.distribution.events.v1+json")
                            .send(queue, sample(name));
                }
            }
            producer.setProperty("contentType", "application/vnd.registryaudit.login-event+json")
                    .send(queue, """
                    [{"EventId":"st-login-1","TimeGenerated":"2026-11-21T10:00:00Z","Identity":"alice","ResultType":"200"},
                     {"EventId":"st-login-2","TimeGenerated":"2026-11-21T10:00:01Z","Identity":"mallory","ResultType":"401",
                      "ResultDescription":"401","CallerIpAddress":"203.0.113.9"}]""");
            producer.setProperty("contentType", "application/vnd.docker.distribution.events.v1+json")
                    .send(queue, "{\"events\": \"broken\"}");
        }
        await(
                "17 repository events stored",
                Duration.ofSeconds(60),
                rows(
                        17,
                        "select count(*) from ContainerRegistryRepositoryEvents where LoginServer = ?",
                        "st.example.com"));
        await(
                "2 login events stored",
                Duration.ofSeconds(30),
                rows(2, "select count(*) from ContainerRegistryLoginEvents where LoginServer = ?", "st.example.com"));
        await(
                "the broken message rejected",
                Duration.ofSeconds(30),
                rows(1, "select count(*) from RejectedMessages where Body = ?", "{\"events\": \"broken\"}"));
        Thread.sleep(2000); // let any late duplicate arrive before counting
        assertEquals(
                17,
                count(
                        "select count(*) from ContainerRegistryRepositoryEvents where LoginServer = ?",
                        "st.example.com"));
        assertEquals(
                17,
                count(
                        "select count(distinct EventId) from ContainerRegistryRepositoryEvents where LoginServer = ?",
                        "st.example.com"));

        String token = stack.adminToken();
        HttpResponse<String> failures = stack.get("/api/login-events?loginServer=st.example.com&result=401", token);
        assertEquals(200, failures.statusCode());
        assertTrue(
                failures.body().contains("\"Identity\":\"mallory\"")
                        && !failures.body().contains("alice"),
                failures.body());
        HttpResponse<String> untags =
                stack.get("/api/repository-events?loginServer=st.example.com&operation=Untag", token);
        assertEquals(2, untags.body().split("\"OperationName\":\"Untag\"", -1).length - 1, untags.body());
        HttpResponse<String> rejected = stack.get("/api/rejected-messages", token);
        assertTrue(rejected.body().contains("a notification envelope must have an 'events' array"), rejected.body());
    }

    @Test
    @Order(2)
    void recordsExactlyWhatARealRegistrySent() throws Exception {
        try (RegistryUnderTest registry = RegistryUnderTest.start(stack)) {
            Path image = registry.buildImage("hello from registry audit");
            String host = registry.host();
            registry.skopeo("copy", "oci:" + image + ":1.0", "docker://" + host + "/library/hello:1.0");
            registry.skopeo(
                    "copy", "docker://" + host + "/library/hello:1.0", "docker://" + host + "/library/hello:2.0");
            registry.skopeo("copy", "docker://" + host + "/library/hello:1.0", "docker://" + host + "/team/app:1.0");
            registry.skopeo(
                    "copy",
                    "docker://" + host + "/team/app:1.0",
                    "oci:" + registry.dir().resolve("pulled") + ":1.0");
            registry.skopeo("delete", "docker://" + host + "/library/hello:2.0");

            List<JsonObject> sent = registry.awaitQuietNotifications(Duration.ofSeconds(4));
            assertTrue(sent.size() >= 15, "the registry sent " + sent.size() + " events");
            await(
                    "every event the registry sent is stored",
                    Duration.ofSeconds(60),
                    rows(
                            sent.size(),
                            "select count(*) from ContainerRegistryRepositoryEvents where LoginServer = ?",
                            host));
            Thread.sleep(1500);

            Map<String, Map<String, String>> stored = new HashMap<>();
            try (Connection c = stack.jdbc();
                    PreparedStatement s = c.prepareStatement(
                            "select EventId, OperationName, Repository, Tag, Digest, CallerIpAddress, Identity, FromRepository "
                                    + "from ContainerRegistryRepositoryEvents where LoginServer = ?")) {
                s.setString(1, host);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Map<String, String> row = new HashMap<>();
                        for (String column : List.of(
                                "OperationName",
                                "Repository",
                                "Tag",
                                "Digest",
                                "CallerIpAddress",
                                "Identity",
                                "FromRepository")) {
                            row.put(column, r.getString(column));
                        }
                        assertEquals(null, stored.put(r.getString("EventId"), row), "stored twice: " + r.getString(1));
                    }
                }
            }
            assertEquals(sent.size(), stored.size(), "one row per event sent, and nothing else");
            List<String> operations = new ArrayList<>();
            for (JsonObject event : sent) {
                Map<String, String> row = stored.get(event.getString("id"));
                assertTrue(row != null, "not stored: " + event);
                JsonObject target = event.getJsonObject("target");
                assertEquals(target.getString("repository"), row.get("Repository"));
                assertEquals(target.getString("tag", null), row.get("Tag"));
                assertEquals(target.getString("digest", null), row.get("Digest"));
                assertEquals(target.getString("fromRepository", null), row.get("FromRepository"));
                String addr = event.getJsonObject("request").getString("addr");
                assertEquals(addr.substring(0, addr.lastIndexOf(':')), row.get("CallerIpAddress"));
                assertEquals(expectedOperation(event), row.get("OperationName"), event.toString());
                operations.add(row.get("OperationName") + " " + row.get("Repository") + ":" + row.get("Tag"));
            }
            assertTrue(operations.contains("Push library/hello:1.0"), operations.toString());
            assertTrue(operations.contains("Push library/hello:2.0"), operations.toString());
            assertTrue(operations.contains("Push team/app:1.0"), operations.toString());
            assertTrue(operations.stream().anyMatch(o -> o.startsWith("Mount team/app")), operations.toString());
            assertTrue(operations.contains("Pull team/app:1.0"), operations.toString());
            assertTrue(operations.contains("Delete library/hello:null"), operations.toString());
            assertTrue(
                    operations.contains("Untag library/hello:1.0") && operations.contains("Untag library/hello:2.0"),
                    operations.toString());
        }
    }

    /** An independent statement of docs/jms-contract.md's mapping, to check the parser against. */
    static String expectedOperation(JsonObject event) {
        JsonObject target = event.getJsonObject("target");
        return switch (event.getString("action")) {
            case "push" -> target.getString("url", "").contains("/manifests/") ? "Push" : "PushBlob";
            case "pull" -> "Pull";
            case "mount" -> "Mount";
            case "delete" -> target.containsKey("tag") ? "Untag" : "Delete";
            default -> "?";
        };
    }

    @Test
    @Order(3)
    void aRegistryWithTokenAuthAdmitsExactlyWhatTheGrantsAllow() throws Exception {
        String admin = stack.adminToken();
        String alicePassword = "alice-st-password";
        String bobPassword = "bob-st-password";
        assertEquals(
                201,
                stack.put("/api/users/alice", """
                {"password":"%s","grants":[{"repository":"team/*","actions":["pull","push"]},
                                           {"repository":"public/*","actions":["pull","push"]}]}""".formatted(alicePassword), admin)
                        .statusCode());
        assertEquals(
                201,
                stack.put("/api/users/bob", """
                {"password":"%s","role":"auditor","grants":[{"repository":"team/*","actions":["pull"]}]}""".formatted(bobPassword), admin).statusCode());
        assertEquals(
                201, stack.put("/api/public-repositories/public/*", "", admin).statusCode());
        String adminPassword = stack.adminPassword();

        List<JsonObject> sent;
        String host;
        String refreshToken;
        try (RegistryUnderTest registry =
                RegistryUnderTest.startWithTokenAuth(stack, ProductionStack.REGISTRY_SERVICE)) {
            host = registry.host();
            Path image = registry.buildImage("signed in with registry audit");
            String alice = registry.login("alice", alicePassword).orElseThrow();
            String bob = registry.login("bob", bobPassword).orElseThrow();
            assertTrue(registry.login("bob", "not-his-password").isEmpty(), "a wrong password is refused");

            registry.skopeo(
                    "copy", "--dest-authfile", alice, "oci:" + image + ":1.0", "docker://" + host + "/team/app:1.0");
            registry.skopeo(
                    "copy", "--dest-authfile", alice, "oci:" + image + ":1.0", "docker://" + host + "/public/base:1.0");
            registry.skopeo(
                    "copy",
                    "--src-authfile",
                    bob,
                    "docker://" + host + "/team/app:1.0",
                    "oci:" + registry.dir().resolve("bob-pulled") + ":1.0");
            // bob's client keeps a refresh token instead of his password (docker's "identity token"),
            // and skopeo trades it for registry tokens through the token service's OAuth2 form
            refreshToken = Json.createReader(new StringReader(stack.postForm(
                                    "/auth/token",
                                    "grant_type=password&client_id=st&access_type=offline&username=bob&password="
                                            + bobPassword)
                            .body()))
                    .readObject()
                    .getString("refresh_token");
            Path bobIdentity = registry.dir().resolve("auth-bob-identity-token.json");
            Files.writeString(
                    bobIdentity,
                    "{\"auths\":{\"" + host + "\":{\"auth\":\""
                            + Base64.getEncoder().encodeToString("bob:".getBytes(StandardCharsets.UTF_8))
                            + "\",\"identitytoken\":\"" + refreshToken + "\"}}}");
            registry.skopeo(
                    "copy",
                    "--src-authfile",
                    bobIdentity.toString(),
                    "docker://" + host + "/team/app:1.0",
                    "oci:" + registry.dir().resolve("bob-pulled-with-identity-token") + ":1.0");
            assertEquals(
                    200, stack.postForm("/auth/revoke", "token=" + refreshToken).statusCode());
            assertTrue(
                    !registry.trySkopeo(
                            "copy",
                            "--src-authfile",
                            bobIdentity.toString(),
                            "docker://" + host + "/team/app:1.0",
                            "oci:" + registry.dir().resolve("bob-revoked") + ":1.0"),
                    "a revoked identity token gets nothing");
            assertTrue(
                    !registry.trySkopeo(
                            "copy",
                            "--dest-authfile",
                            bob,
                            "oci:" + image + ":1.0",
                            "docker://" + host + "/team/app:2.0"),
                    "bob may pull team/app but not push to it");
            registry.skopeo(
                    "copy",
                    "--src-no-creds",
                    "docker://" + host + "/public/base:1.0",
                    "oci:" + registry.dir().resolve("anonymous-pulled") + ":1.0");
            assertTrue(
                    !registry.trySkopeo(
                            "copy",
                            "--src-no-creds",
                            "docker://" + host + "/team/app:1.0",
                            "oci:" + registry.dir().resolve("anonymous-denied") + ":1.0"),
                    "team/app is not public");
            registry.skopeo("delete", "--creds", "admin:" + adminPassword, "docker://" + host + "/team/app:1.0");
            sent = registry.awaitQuietNotifications(Duration.ofSeconds(4));
            assertTrue(!Files.readString(registry.registryLog()).contains(alicePassword));
        }

        // the registry's own account of what happened, stored with the identities of the token service
        await(
                "every event the registry sent is stored",
                Duration.ofSeconds(60),
                rows(
                        sent.size(),
                        "select count(*) from ContainerRegistryRepositoryEvents where LoginServer = ?",
                        host));
        List<String> done = new ArrayList<>();
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement(
                        "select OperationName, Repository, "
                                + "Tag, Identity from ContainerRegistryRepositoryEvents where LoginServer = ? and OperationName <> 'PushBlob'")) {
            s.setString(1, host);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    done.add(r.getString(1) + " " + r.getString(2) + ":" + r.getString(3) + " by " + r.getString(4));
                }
            }
        }
        assertTrue(done.contains("Push team/app:1.0 by alice"), done.toString());
        assertTrue(done.contains("Push public/base:1.0 by alice"), done.toString());
        assertTrue(done.contains("Pull team/app:1.0 by bob"), done.toString());
        assertTrue(done.contains("Delete team/app:null by admin"), done.toString());
        assertTrue(
                done.stream()
                        .anyMatch(d ->
                                d.startsWith("Pull public/base:1.0 by ") && !d.endsWith("alice") && !d.endsWith("bob")),
                "the anonymous pull: " + done);
        assertTrue(done.stream().noneMatch(d -> d.contains("team/app:2.0")), "nothing of the denied push: " + done);

        // the token service's account: every login, refused ones included
        String service = ProductionStack.REGISTRY_SERVICE;
        assertTrue(count(
                        "select count(*) from ContainerRegistryLoginEvents where LoginServer = ? and Identity = 'alice' "
                                + "and ResultType = '200'",
                        service)
                >= 2);
        assertEquals(
                1,
                count(
                        "select count(*) from ContainerRegistryLoginEvents where LoginServer = ? "
                                + "and Identity = 'bob' and ResultType = '401'",
                        service),
                "the wrong password");
        assertTrue(
                count(
                                "select count(*) from ContainerRegistryLoginEvents where LoginServer = ? and Identity = 'bob' "
                                        + "and ResultType = '403' and ResultDescription like '%repository:team/app:%push%'",
                                service)
                        >= 1,
                "the denied push");
        assertTrue(
                count(
                                "select count(*) from ContainerRegistryLoginEvents where LoginServer = ? "
                                        + "and Identity = 'anonymous' and ResultType = '200'",
                                service)
                        >= 1,
                "the public pull");
        assertTrue(
                count(
                                "select count(*) from ContainerRegistryLoginEvents where LoginServer = ? "
                                        + "and Identity = 'anonymous' and ResultType = '403'",
                                service)
                        >= 1,
                "the refused anonymous pull");
        assertTrue(count(
                        "select count(*) from ContainerRegistryLoginEvents where LoginServer = ? "
                                + "and Identity = 'admin' and ResultType = '200'",
                        service)
                >= 1);

        // bob, an auditor who may pull team/*, reads the audit API with a token of his own
        String bobToken =
                ProductionStack.tokenOf(stack.getWithBasic("/auth/token?service=registry-audit", "bob", bobPassword)
                        .body());
        String bobView =
                stack.get("/api/repository-events?limit=1000", bobToken).body();
        assertTrue(
                bobView.contains("\"Repository\":\"team/app\"") && bobView.contains("\"Repository\":\"public/base\""),
                bobView);
        // (a mount into team/app still names its source repository in FromRepository: part of team/app's event)
        assertTrue(!bobView.contains("\"Repository\":\"library/hello\""), "not a repository bob may pull");
        String bobLogins = stack.get("/api/login-events?limit=1000", bobToken).body();
        assertTrue(
                bobLogins.contains("\"Identity\":\"bob\"") && !bobLogins.contains("\"Identity\":\"alice\""), bobLogins);

        for (String log : stack.serverLogs()) {
            for (String secret :
                    List.of(alicePassword, bobPassword, adminPassword, "not-his-password", bobToken, refreshToken)) {
                assertTrue(!log.contains(secret), "a password or token in the server log");
            }
            assertTrue(!log.contains("eyJ"), "no token in the server log");
        }
    }

    @Test
    @Order(4)
    void killNineDuringIngestLosesAndDuplicatesNothing() throws Exception {
        int events = Integer.getInteger("crash.events", 3000);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger resent = new AtomicInteger();
        int batch = 50;
        Thread producer = new Thread(
                () -> {
                    for (int first = 0; first < events; first += batch) {
                        // at least once, as a producer should: a batch whose commit did not succeed (the broker
                        // inside WildFly died with it) goes again once the broker is back
                        while (!sendBatch(first, Math.min(events, first + batch))) {
                            resent.incrementAndGet();
                            sleep(500);
                        }
                        sent.set(Math.min(events, first + batch));
                    }
                },
                "crash-producer");
        producer.start();
        String crashRows =
                "select count(*) from ContainerRegistryRepositoryEvents where LoginServer = 'crash.example.com'";
        await("ingest is under way", Duration.ofSeconds(120), rows(Math.min(300, events / 4), crashRows));
        stack.killServer();
        long atKill = count(crashRows);
        stack.startServer();
        producer.join();
        await("every event is stored after the restart", Duration.ofSeconds(300), rows(events, crashRows));
        Thread.sleep(3000);
        assertEquals(events, count(crashRows), "rows");
        assertEquals(
                events,
                count("select count(distinct EventId) from ContainerRegistryRepositoryEvents "
                        + "where LoginServer = 'crash.example.com'"),
                "distinct ids");
        assertTrue(atKill < events, "the kill happened mid-ingest: " + atKill + " of " + events + " stored");
        System.out.printf(
                "crash test: %d events sent (+%d duplicates, %d batches sent again), %d stored at kill -9, "
                        + "%d after restart%n",
                sent.get(), (events + 9) / 10, resent.get(), atKill, count(crashRows));
    }

    /** Events [from, to) in one transaction, every tenth twice; false when the broker could not take them. */
    static boolean sendBatch(int from, int to) {
        try (JMSContext context = broker().createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = context.createQueue(QUEUE);
            JMSProducer jms = context.createProducer()
                    .setProperty("contentType", "application/vnd.registryaudit.repository-event+json");
            for (int i = from; i < to; i++) {
                String body = Json.createObjectBuilder()
                        .add("EventId", "crash-" + i)
                        .add("TimeGenerated", Instant.now().toString())
                        .add("LoginServer", "crash.example.com")
                        .add("OperationName", "Push")
                        .add("Repository", "crash/app")
                        .add("Tag", "t" + i)
                        .build()
                        .toString();
                jms.send(queue, body);
                if (i % 10 == 0) {
                    jms.send(queue, body); // and a duplicate, as an at-least-once producer would
                }
            }
            context.commit();
            return true;
        } catch (JMSRuntimeException e) {
            System.out.printf("crash test: events %d to %d not taken (%s), again%n", from, to, e);
            return false;
        }
    }

    /**
     * Azure Monitor's own query client (azure-monitor-query, as Azure's users call Log Analytics)
     * runs unchanged against the service, its endpoint pointed at /v1 over TLS with a certificate
     * from the test CA, and a token of the token service as its credential: the counts it reads are
     * the database's, and a bad query is Azure's error, as the client parses it.
     */
    @Test
    @Order(5)
    void azureMonitorsOwnQueryClientRunsUnchangedOverTls() throws Exception {
        if (getClass() == ProductionST.class) { // Payara Micro as README "Production" starts it
            assertEquals(
                    List.of(stack.httpsPort),
                    stack.wildcardListeners(),
                    "https on every interface, plain HTTP on 127.0.0.1");
        }
        String token = stack.adminToken();
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (var ca = Files.newInputStream(stack.tlsDir().resolve("ca.pem"))) {
            trusted.setCertificateEntry(
                    "test-ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        javax.net.ssl.TrustManagerFactory trust =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        LogsQueryClient client = new LogsQueryClientBuilder()
                .endpoint(stack.httpsUrl("/v1").toString())
                .credential(request ->
                        Mono.just(new AccessToken(token, OffsetDateTime.now().plusMinutes(4))))
                .httpClient(new JdkHttpClientBuilder(
                                java.net.http.HttpClient.newBuilder().sslContext(tls))
                        .build())
                .buildClient();
        String workspace = "00000000-0000-0000-0000-000000000000";

        LogsQueryResult result = client.queryWorkspace(
                workspace,
                "ContainerRegistryRepositoryEvents | summarize n = count() by LoginServer",
                new QueryTimeInterval(Duration.ofDays(1)));
        long total = result.getTable().getRows().stream()
                .mapToLong(row -> row.getColumnValue("n").orElseThrow().getValueAsLong())
                .sum();
        assertEquals(
                count(
                        "select count(*) from ContainerRegistryRepositoryEvents where TimeGenerated > now() - interval '1 day'"),
                total,
                "the client's sum of the counts");
        LogsQueryResult logins = client.queryWorkspace(
                workspace,
                "ContainerRegistryLoginEvents | where ResultType != '200' | project TimeGenerated, Identity, ResultType",
                QueryTimeInterval.ALL);
        assertTrue(logins.getTable().getRows().size() > 0, "the refused logins of the registry scenario");
        assertTrue(logins.getTable()
                .getRows()
                .get(0)
                .getColumnValue("TimeGenerated")
                .orElseThrow()
                .getValueAsDateTime()
                .isBefore(OffsetDateTime.now()));

        HttpResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(
                HttpResponseException.class,
                () -> client.queryWorkspace(workspace, "ContainerRegistryLoginEvents | where", QueryTimeInterval.ALL));
        assertEquals(400, refused.getResponse().getStatusCode());
        assertTrue(refused.getMessage().contains("BadArgumentError"), refused.getMessage());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
