package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the server while registries post notifications, one event per POST as
 * docker-registry sends them, from 8 clients: every event answered 202 is stored after the
 * restart, exactly once. On the embedded defaults (H2, embedded broker: what a newcomer runs) and
 * on PostgreSQL with the standalone broker. A 202 tells the registry never to send the event
 * again, so an acknowledged event lost here would be lost for good. On the embedded defaults it
 * also checks that the server's files are its user's alone and that H2 runs without its TCP server.
 */
class WebhookCrashST {

    static final int CLIENTS = 8;
    static final String SERVER = "webhook-crash.example.com";

    @Test
    void everyAcknowledgedNotificationSurvivesKillNineOnTheEmbeddedDefaults() throws Exception {
        try (ProductionStack stack = ProductionStack.embedded("webhook_crash_embedded")) {
            // no other local user reaches the database, the journal or the keys, and H2 opens no port
            Path server = stack.root().resolve("payara");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server)));
            assertEquals(
                    "rwx------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(server.resolve("registry-audit"))));
            assertTrue(Files.exists(server.resolve("lib/databases/embedded_default.mv.db")));
            assertFalse(
                    Files.exists(server.resolve("lib/databases/embedded_default.lock.db")),
                    "AUTO_SERVER's lock file, which held the key of its TCP server");
            // only the HTTP and HTTPS listeners are on every interface: the data grid (6900 and up) is on loopback
            assertEquals(
                    List.of(stack.httpPort, stack.httpsPort).stream().sorted().toList(),
                    stack.wildcardListeners().stream().sorted().toList());
            crashWhilePosting(stack, "embedded", false);
        }
    }

    @Test
    void everyAcknowledgedNotificationSurvivesKillNineOnPostgres() throws Exception {
        try (ProductionStack stack = ProductionStack.start("registry_audit_webhook_crash_st")) {
            crashWhilePosting(stack, "postgres", true);
        }
    }

    /** A notification as docker-registry 2.8 sends it: one event, 3-space indentation. */
    static String notification(String id) {
        return """
                {
                   "events": [
                      {
                         "id": "%s",
                         "timestamp": "%s",
                         "action": "pull",
                         "target": {
                            "mediaType": "application/vnd.oci.image.manifest.v1+json",
                            "digest": "sha256:%s",
                            "size": 1234,
                            "length": 1234,
                            "repository": "crash/app",
                            "url": "http://%s/v2/crash/app/manifests/sha256:%s",
                            "tag": "latest"
                         },
                         "request": {
                            "id": "req-%s",
                            "addr": "10.0.0.7:51234",
                            "host": "%s",
                            "method": "GET",
                            "useragent": "skopeo/1.9.3"
                         },
                         "actor": {"name": "alice"},
                         "source": {"addr": "registry:5000", "instanceID": "crash"}
                      }
                   ]
                }
                """.formatted(id, Instant.now(), "ab".repeat(32), SERVER, "ab".repeat(32), id, SERVER);
    }

    /**
     * Kill -9 while webhook clients post (and, with {@code jms}, a JMS producer sends to the
     * standalone broker, which the kill does not stop), restart, and check that every acknowledged
     * event (a 202, or a committed JMS transaction) is stored, each once.
     */
    static void crashWhilePosting(ProductionStack stack, String label, boolean jms) throws Exception {
        String secret = stack.dataFile("notification-secret");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread thread = new Thread(
                    () -> {
                        for (int i = 0; !stop.get(); i++) {
                            String id = label + "-" + client + "-" + i;
                            try {
                                HttpResponse<Void> answer = http.send(
                                        HttpRequest.newBuilder(stack.url("/notifications"))
                                                .header("X-Registry-Audit-Secret", secret)
                                                .header(
                                                        "Content-Type",
                                                        "application/vnd.docker.distribution.events.v1+json")
                                                .timeout(Duration.ofSeconds(10))
                                                .POST(HttpRequest.BodyPublishers.ofString(notification(id)))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding());
                                if (answer.statusCode() == 202) {
                                    acknowledged.add(id);
                                }
                            } catch (Exception e) {
                                failed.incrementAndGet(); // the server is gone: not acknowledged, the registry would
                                // retry
                            }
                        }
                    },
                    "webhook-client-" + c);
            thread.start();
            clients.add(thread);
        }
        AtomicInteger jmsCommitted = new AtomicInteger();
        if (jms) {
            Thread producer = new Thread(() -> produce(stack, label, stop, acknowledged, jmsCommitted), "jms-producer");
            producer.start();
            clients.add(producer);
        }
        long started = System.nanoTime();
        ProductionST.await(
                "notifications are being acknowledged",
                Duration.ofSeconds(120),
                () -> acknowledged.size() - jmsCommitted.get() >= 3000);
        stack.killServer();
        int atKill = acknowledged.size();
        double seconds = (System.nanoTime() - started) / 1e9;
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        stack.startServer();
        String token = stack.adminToken();
        ProductionST.await("every acknowledged event is stored", Duration.ofSeconds(300), () -> {
            try {
                return stored(stack, token)[0] >= acknowledged.size();
            } catch (Exception e) {
                return false;
            }
        });
        Thread.sleep(2000); // a late duplicate would show now
        long[] counts = stored(stack, token);
        Set<String> ids = ids(stack, token);
        List<String> lost = acknowledged.stream()
                .filter(id -> !ids.contains(id))
                .sorted()
                .limit(10)
                .toList();
        assertTrue(lost.isEmpty(), "acknowledged but not stored: " + lost);
        assertEquals(counts[1], counts[0], "each stored once (rows = distinct ids)");
        System.out.printf(
                "webhook crash test (%s): %,d events acknowledged (%,d at kill -9, %.0f a second from %d "
                        + "clients%s, a figure of this run only; %,d of them sent over JMS), %,d requests cut off; %,d rows, "
                        + "%,d distinct ids after restart%n",
                label,
                acknowledged.size(),
                atKill,
                atKill / seconds,
                CLIENTS,
                jms ? " and a JMS producer" : "",
                jmsCommitted.get(),
                failed.get(),
                counts[0],
                counts[1]);
    }

    /**
     * One event per message, as fast as it goes, in transactions of 10 (each committed id is
     * acknowledged), until {@code stop}; the broker keeps taking them while the server is down.
     */
    static void produce(
            ProductionStack stack,
            String label,
            AtomicBoolean stop,
            Set<String> acknowledged,
            AtomicInteger committed) {
        try (JMSContext context = new ActiveMQConnectionFactory(
                        stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD)
                .createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = context.createQueue("registry-audit.events");
            JMSProducer producer = context.createProducer()
                    .setProperty("contentType", "application/vnd.registryaudit.repository-event+json");
            List<String> open = new ArrayList<>();
            for (int i = 0; !stop.get(); i++) {
                String id = label + "-jms-" + i;
                producer.send(
                        queue,
                        Json.createObjectBuilder()
                                .add("EventId", id)
                                .add("TimeGenerated", Instant.now().toString())
                                .add("LoginServer", SERVER)
                                .add("OperationName", "Push")
                                .add("Repository", "crash/jms")
                                .add("Tag", "t" + i)
                                .build()
                                .toString());
                open.add(id);
                if (open.size() == 10) {
                    context.commit();
                    acknowledged.addAll(open);
                    committed.addAndGet(open.size());
                    open.clear();
                }
            }
            context.rollback();
        }
    }

    /** Rows and distinct EventIds of the crash events, through the query API. */
    static long[] stored(ProductionStack stack, String token) throws Exception {
        HttpResponse<String> answer = stack.post(
                "/api/query",
                Json.createObjectBuilder()
                        .add(
                                "query",
                                "ContainerRegistryRepositoryEvents | where LoginServer == \"" + SERVER
                                        + "\" | summarize rows = count(), ids = dcount(EventId)")
                        .build()
                        .toString(),
                token);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject result = Json.createReader(new StringReader(answer.body())).readObject();
        var row = result.getJsonArray("tables")
                .getJsonObject(0)
                .getJsonArray("rows")
                .getJsonArray(0);
        return new long[] {
            row.getJsonNumber(0).longValue(), row.getJsonNumber(1).longValue()
        };
    }

    /** Every stored crash event's id, through the paged read API. */
    static Set<String> ids(ProductionStack stack, String token) throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        String cursor = null;
        do {
            HttpResponse<String> page = stack.get(
                    "/api/repository-events?loginServer=" + SERVER + "&limit=1000"
                            + (cursor == null ? "" : "&cursor=" + cursor),
                    token);
            assertEquals(200, page.statusCode(), page.body());
            JsonObject json = Json.createReader(new StringReader(page.body())).readObject();
            json.getJsonArray("items")
                    .forEach(item -> ids.add(item.asJsonObject().getString("EventId")));
            cursor = json.getString("next", null);
        } while (cursor != null);
        return ids;
    }
}
