package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The changefeed against the real thing: Debian's notary-server 0.7.0 on PostgreSQL, TLS from a
 * test CA, its token auth delegated to Registry Audit; the notary client publishes and deletes
 * trust data; Registry Audit (on PostgreSQL and a standalone Artemis) follows that server and must
 * list exactly the same changes, in the same order, globally and per GUN, also after a restart.
 * Then many JMS producers race while a reader pages forward through the feed on PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangefeedST {

    static final String ADMIN_PASSWORD = "st-admin-password";
    static final List<String> GUNS = List.of(
            "registry.example.com/team/app", "registry.example.com/team/lib", "registry.example.com:5000/other/tool");
    static ProductionStack stack;
    static NotaryUnderTest notary;

    @BeforeAll
    static void start() throws Exception {
        notary = NotaryUnderTest.prepare(Path.of("target", "st", "notary").toAbsolutePath(), "notary_st");
        stack = ProductionStack.start(
                "changefeed_st",
                Map.of(
                        "REGISTRY_AUDIT_ADMIN_PASSWORD",
                        ADMIN_PASSWORD,
                        "MP_JWT_VERIFY_AUDIENCES",
                        "registry-audit," + NotaryUnderTest.SERVICE,
                        "REGISTRY_AUDIT_CHANGEFEED_FRESHNESS_SECONDS",
                        "0",
                        "REGISTRY_AUDIT_NOTARY_FOLLOWERS",
                        "st",
                        "REGISTRY_AUDIT_NOTARY_ST_URL",
                        notary.url(),
                        "REGISTRY_AUDIT_NOTARY_ST_CA_FILE",
                        notary.caFile().toString(),
                        "REGISTRY_AUDIT_NOTARY_ST_USERNAME",
                        "admin",
                        "REGISTRY_AUDIT_NOTARY_ST_PASSWORD",
                        ADMIN_PASSWORD,
                        "REGISTRY_AUDIT_NOTARY_POLL_SECONDS",
                        "1",
                        "REGISTRY_AUDIT_NOTARY_SETTLE_SECONDS",
                        "1"));
        notary.start(stack);
    }

    @AfterAll
    static void stop() throws Exception {
        if (notary != null) {
            notary.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static String adminToken() throws Exception {
        return ProductionStack.tokenOf(
                stack.getWithBasic("/auth/token", "admin", ADMIN_PASSWORD).body());
    }

    static List<JsonObject> ours(String gun, String query) throws Exception {
        HttpResponse<String> response = stack.get(
                gun == null ? "/v2/_trust/changefeed" + query : "/v2/" + gun + "/_trust/changefeed" + query,
                adminToken());
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject().getJsonArray("records").stream()
                .map(JsonValue::asJsonObject)
                .toList();
    }

    /** What both feeds must agree on: GUN, version, checksum, category, time, in order. */
    static List<String> changes(List<JsonObject> records) {
        return records.stream()
                .map(r -> String.join(
                        " ",
                        r.getString("GUN"),
                        String.valueOf(r.getInt("Version")),
                        r.getString("SHA256"),
                        r.getString("Category"),
                        Instant.parse(r.getString("CreatedAt")).toString()))
                .toList();
    }

    Supplier<Boolean> caughtUp() {
        return () -> {
            try {
                return changes(ours(null, "?records=1000"))
                        .equals(changes(notary.feed(stack, "admin", ADMIN_PASSWORD, null, "?records=1000")));
            } catch (Exception e) {
                return false;
            }
        };
    }

    void publish(String gun, String tag) throws Exception {
        Path target = notary.caFile().resolveSibling("target-" + tag + ".txt");
        Files.writeString(target, gun + " " + tag);
        notary.client("admin", ADMIN_PASSWORD, "add", gun, tag, target.toString());
        notary.client("admin", ADMIN_PASSWORD, "publish", gun);
    }

    @Test
    @Order(1)
    void followsARealNotaryServerAndListsTheSameChanges() throws Exception {
        for (String gun : GUNS) {
            notary.client("admin", ADMIN_PASSWORD, "init", gun, "--publish");
            publish(gun, "v1");
        }
        publish(GUNS.get(0), "v2");
        notary.client("admin", ADMIN_PASSWORD, "delete", GUNS.get(1), "--remote");
        // the deleted GUN starts again at version 1, with new checksums
        notary.client("admin", ADMIN_PASSWORD, "init", GUNS.get(1), "--publish");

        List<JsonObject> theirs = notary.feed(stack, "admin", ADMIN_PASSWORD, null, "?records=1000");
        assertEquals(9, theirs.size(), theirs.toString());
        ProductionST.await("the follower has caught up", Duration.ofSeconds(60), caughtUp());
        for (String gun : GUNS) {
            assertEquals(
                    changes(notary.feed(stack, "admin", ADMIN_PASSWORD, gun, "?records=1000")),
                    changes(ours(gun, "?records=1000")),
                    gun);
        }
        List<String> categories = ours(GUNS.get(1), "?records=100").stream()
                .map(r -> r.getString("Category"))
                .toList();
        assertEquals(List.of("update", "update", "deletion", "update"), categories);

        HttpResponse<String> status = stack.get("/api/notary-followers", adminToken());
        assertEquals(200, status.statusCode(), status.body());
        JsonObject follower =
                Json.createReader(new StringReader(status.body())).readArray().getJsonObject(0);
        assertEquals("st", follower.getString("name"));
        assertEquals(theirs.get(theirs.size() - 1).getString("ID"), follower.getString("cursor"));
        assertEquals(9, follower.getInt("changesStored"));
        assertTrue(!follower.containsKey("lastError") || follower.isNull("lastError"), follower.toString());
        assertTrue(follower.getJsonNumber("lagSeconds").longValue() < 30, follower.toString());
    }

    @Test
    @Order(2)
    void resumesAtItsCursorAfterARestart() throws Exception {
        String cursor = ours(null, "?change_id=1&records=1").get(0).getString("ID");
        Path log = notary.caFile().resolveSibling("notary-server.log");
        stack.killServer();
        long mark = Files.size(log);
        stack.startServer();
        publish(GUNS.get(2), "v2");
        notary.client("admin", ADMIN_PASSWORD, "delete", GUNS.get(0), "--remote");
        ProductionST.await("the follower has caught up after the restart", Duration.ofSeconds(90), caughtUp());
        List<JsonObject> all = ours(null, "?records=1000");
        assertEquals(11, all.size());
        assertEquals(11, all.stream().map(r -> r.getString("ID")).distinct().count());
        // the follower's first read after the restart starts at its saved cursor, not at 0
        String since = Files.readString(log).substring((int) mark);
        List<String> reads = since.lines()
                .filter(l -> l.contains("registry-audit-notary-follower"))
                .map(l -> l.replaceAll(".*change_id=([-0-9]+).*", "$1"))
                .toList();
        assertTrue(!reads.isEmpty() && reads.get(0).equals(notaryId(cursor)) && !reads.contains("0"), reads.toString());
    }

    /** The notary-server ID of one of our records, found by its content. */
    static String notaryId(String ourId) throws Exception {
        JsonObject ours = ours(null, "?change_id=" + (Long.parseLong(ourId) - 1) + "&records=1")
                .get(0);
        return notary.feed(stack, "admin", ADMIN_PASSWORD, null, "?records=1000").stream()
                .filter(r -> changes(List.of(r)).equals(changes(List.of(ours))))
                .findFirst()
                .orElseThrow()
                .getString("ID");
    }

    @Test
    @Order(3)
    void aForwardReaderMissesNothingWhileProducersRaceOnPostgres() throws Exception {
        int producers = 8;
        int perProducer = 150;
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD);
        String cursor = ours(null, "?change_id=1&records=1").get(0).getString("ID");
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<?>> sent = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            sent.add(pool.submit(() -> {
                try (JMSContext context = factory.createContext()) {
                    Queue queue = context.createQueue("registry-audit.events");
                    JMSProducer jms = context.createProducer()
                            .setProperty("contentType", "application/vnd.registryaudit.trust-change+json");
                    for (int i = 1; i <= perProducer; i++) {
                        jms.send(queue, """
                                {"EventId":"race-%d-%d","CreatedAt":"%s","GUN":"race/p%d","Category":"update",
                                 "Version":%d,"SHA256":"%064x","Source":"st-producer"}""".formatted(producer, i, Instant.now(), producer, i, producer * 100000L + i));
                    }
                }
                return null;
            }));
        }
        Set<String> seen = new HashSet<>();
        long last = Long.parseLong(cursor);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (seen.size() < producers * perProducer && System.nanoTime() < deadline) {
            List<JsonObject> page = ours(null, "?change_id=" + cursor + "&records=50");
            for (JsonObject record : page) {
                long id = Long.parseLong(record.getString("ID"));
                assertTrue(id > last, "positions go up");
                last = id;
                assertTrue(seen.add(record.getString("GUN") + " " + record.getInt("Version")), "twice: " + record);
            }
            if (!page.isEmpty()) {
                cursor = page.get(page.size() - 1).getString("ID");
            }
        }
        for (Future<?> f : sent) {
            f.get();
        }
        pool.shutdown();
        assertEquals(producers * perProducer, seen.size(), "the forward reader missed changes");
    }
}
