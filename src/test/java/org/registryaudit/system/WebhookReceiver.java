package org.registryaudit.system;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver as a SIEM's endpoint would be: it checks every request's signature with the
 * Standard Webhooks reference library (not our code), refuses what does not verify (401), and
 * keeps the CloudEvents it accepted, counting each record id's arrivals. It can be told to fail
 * (503) or to answer slowly, as a receiver that is down or busy does.
 */
final class WebhookReceiver implements AutoCloseable {

    final int port = ProductionStack.freePort();
    private final HttpServer server;
    private final Webhook webhook;
    final Map<String, Integer> arrivals = new ConcurrentHashMap<>();
    final Map<String, JsonObject> events = new ConcurrentHashMap<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    volatile boolean failing;
    volatile long delayMillis;
    /** Called with each accepted event and its id (the benchmark's clock). */
    volatile java.util.function.BiConsumer<String, JsonObject> onEvent = (id, event) -> {};

    WebhookReceiver(String secret) throws Exception {
        webhook = new Webhook(secret);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/hooks/audit", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks/audit";
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        int status;
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (failing) {
                status = 503;
            } else {
                webhook.verify(body, headers);
                for (JsonObject event : cloudEvents(body)) {
                    String id = event.getString("id");
                    events.put(id, event);
                    arrivals.merge(id, 1, Integer::sum);
                    onEvent.accept(id, event);
                }
                status = 204;
            }
        } catch (Exception e) {
            refused.incrementAndGet();
            status = 401;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static List<JsonObject> cloudEvents(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            JsonStructure json = reader.read();
            List<JsonObject> events = new ArrayList<>();
            if (json.getValueType() == JsonValue.ValueType.ARRAY) {
                json.asJsonArray().forEach(v -> events.add(v.asJsonObject()));
            } else {
                events.add(json.asJsonObject());
            }
            return events;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
