package org.registryaudit.system;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * Streaming while ingest runs: the production stack (PostgreSQL, standalone Artemis, Payara Micro)
 * ingests one event per JMS message at a paced rate, in phases: with no destination (the
 * baseline), streaming every event to one transport at a time (rsyslog over TLS in OCSF, a webhook
 * endpoint in CloudEvents whose signatures the Standard Webhooks library checks, a JMS topic), then
 * to all three at once. For each: ingest's rate, records delivered and their rate, and the lag from
 * the event's time to its arrival at the receiver (p50 / p99 / max). Not part of the test suite; docs/benchmarks.md has the command and
 * the figures.
 *
 * <p>System properties: {@code bench.seconds} (each phase, default 60), {@code bench.rate} (events/s
 * in total, default 2000), {@code bench.producers} (default 4).
 */
class StreamingBenchmark {

    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int rate = Integer.getInteger("bench.rate", 2000);
    private final int producers = Integer.getInteger("bench.producers", 4);
    private final List<String> report = new ArrayList<>();
    static final Pattern STAMPED = Pattern.compile("(\\S+) <\\d+>1 (\\S+) .*? \\[audit@32473 id=\"([^\"]+)\".*");

    @Test
    void measure() throws Exception {
        Path root = Path.of("target", "streaming-bench").toAbsolutePath();
        ProductionStack.deleteRecursively(root);
        Path ca = root.resolve("ca");
        SyslogCollector.makeCertificates(ca);
        try (SyslogCollector syslog =
                        SyslogCollector.start(root.resolve("rsyslog"), ProductionStack.freePort(), true, ca, true);
                WebhookReceiver hook = new WebhookReceiver(StreamingST.SECRET);
                ProductionStack stack = ProductionStack.start(
                        "registry_audit_stream_bench",
                        Map.of("REGISTRY_AUDIT_STREAM_HOOK_SECRET", StreamingST.SECRET));
                JMSContext subscriber = new ActiveMQConnectionFactory(
                                stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD)
                        .createContext()) {
            String token = stack.adminToken();
            Map<String, Long> atHook = new ConcurrentHashMap<>();
            Map<String, Long> onTopic = new ConcurrentHashMap<>();
            hook.onEvent = (id, event) -> atHook.put(
                    id,
                    System.currentTimeMillis()
                            - Instant.parse(event.getString("time")).toEpochMilli());
            subscriber
                    .createConsumer(subscriber.createTopic("registry-audit.stream"))
                    .setMessageListener(m -> {
                        try {
                            long now = System.currentTimeMillis();
                            String time = json(((TextMessage) m).getText()).getString("time");
                            onTopic.put(
                                    m.getStringProperty("recordId"),
                                    now - Instant.parse(time).toEpochMilli());
                        } catch (jakarta.jms.JMSException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            put(
                    stack,
                    token,
                    "/api/stream-destinations/siem",
                    Json.createObjectBuilder()
                            .add("transport", "SYSLOG_TLS")
                            .add("address", "localhost:" + syslog.port)
                            .add("format", "OCSF")
                            .add("batchSize", 500)
                            .add("caCertificates", Files.readString(ca.resolve("ca.pem")))
                            .build()
                            .toString());
            put(
                    stack,
                    token,
                    "/api/stream-destinations/hook",
                    Json.createObjectBuilder()
                            .add("transport", "WEBHOOK")
                            .add("address", hook.url())
                            .add("format", "CLOUDEVENTS")
                            .add("batchSize", 200)
                            .build()
                            .toString());
            put(
                    stack,
                    token,
                    "/api/stream-destinations/topic",
                    Json.createObjectBuilder()
                            .add("transport", "JMS_TOPIC")
                            .add("address", "registry-audit.stream")
                            .add("format", "JSON")
                            .add("batchSize", 500)
                            .build()
                            .toString());
            // paused: its records are written to the outbox and stay there, so that phase costs ingest
            // the outbox alone, without any sending
            put(
                    stack,
                    token,
                    "/api/stream-destinations/paused",
                    Json.createObjectBuilder()
                            .add("transport", "SYSLOG_TCP")
                            .add("address", "127.0.0.1:9")
                            .add("format", "OCSF")
                            .add("enabled", false)
                            .build()
                            .toString());
            Map<String, Supplier<Map<String, Long>>> arrived = new LinkedHashMap<>();
            arrived.put("siem", () -> syslogLags(syslog));
            arrived.put("hook", () -> atHook);
            arrived.put("topic", () -> onTopic);
            Map<String, String> names = Map.of(
                    "siem", "syslog TLS, OCSF (rsyslog)",
                    "hook", "webhook, CloudEvents batches of 200",
                    "topic", "JMS topic, JSON");

            line("## Streaming benchmark, %s", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            line(
                    "machine: %d cores, %s; %s",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"),
                    System.getProperty("java.version"));
            line(
                    "settings: %d s per phase, %d producers, one event per message, paced at %d events/s",
                    seconds, producers, rate);
            line("");
            line("| phase | ingest events/s (slowest 10 s) | delivered | delivered/s | lag p50 / p99 / max"
                    + " | service's lag p50 / p99 | drained after the last send |");
            line("|---|---|---|---|---|---|---|");
            int n = 0;
            for (List<String> destinations : List.of(
                    List.<String>of(),
                    List.of("paused"),
                    List.of("siem"),
                    List.of("hook"),
                    List.of("topic"),
                    List.of("siem", "hook", "topic"))) {
                String prefix = "p" + n++;
                token = stack.adminToken(); // a phase can outlast a token
                streamTo(stack, token, destinations);
                Thread.sleep(3000); // settings are cached for up to 5 s; the first events may go the old way
                Phase phase = ingest(stack, prefix);
                if (destinations.isEmpty() || destinations.contains("paused")) {
                    line(
                            "| %s | %.0f (%.0f) | - | - | - | - | - |",
                            destinations.isEmpty() ? "no destination" : "one paused destination (outbox writes only)",
                            phase.rate,
                            phase.slowest);
                    continue;
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (destinations.stream()
                                .anyMatch(d -> of(arrived.get(d).get(), prefix).size() < phase.sent)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }
                double drained = (System.nanoTime() - phase.endNanos) / 1e9;
                Map<String, JsonObject> own = ownLags(stack, stack.adminToken());
                for (String d : destinations) {
                    transport(
                            (destinations.size() > 1 ? "all three: " : "") + names.get(d),
                            phase,
                            of(arrived.get(d).get(), prefix),
                            own.get(d),
                            drained);
                }
            }
            line("");
            line(
                    "Lag: from the event's time (the producer stamps it as it sends) to its arrival at the receiver,"
                            + " so it includes ingest's own queueing; the service's lag is from storing to delivery (its API,"
                            + " over the destination's last 4,096 records). Webhook requests: %d, refused by the signature"
                            + " check: %d.",
                    hook.requests.get(), hook.refused.get());
            String text = String.join("\n", report) + "\n";
            Path out =
                    Path.of("target", "benchmarks", "streaming-" + Instant.now().getEpochSecond() + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            System.out.println(text);
        }
    }

    /** The lags of one phase's records (their ids start with its prefix). */
    private static List<Long> of(Map<String, Long> lags, String prefix) {
        return lags.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix + "-"))
                .map(Map.Entry::getValue)
                .toList();
    }

    private void transport(String name, Phase phase, List<Long> lags, JsonObject own, double drained) {
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        String service = own == null ? "-" : own.get("p50Millis") + " / " + own.get("p99Millis") + " ms";
        if (sorted.length == 0) {
            line("| %s | %.0f (%.0f) | 0 | - | - | %s | - |", name, phase.rate, phase.slowest, service);
            return;
        }
        line(
                "| %s | %.0f (%.0f) | %d of %d | %.0f | %d / %d / %d ms | %s | %.1f s |",
                name,
                phase.rate,
                phase.slowest,
                sorted.length,
                phase.sent,
                sorted.length / (phase.seconds + drained),
                sorted[(sorted.length - 1) / 2],
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1],
                sorted[sorted.length - 1],
                service,
                drained);
    }

    private static void streamTo(ProductionStack stack, String token, List<String> destinations) throws Exception {
        put(
                stack,
                token,
                "/api/diagnostic-settings/*/ContainerRegistryRepositoryEvents",
                Json.createObjectBuilder()
                        .add("collect", true)
                        .add("archive", true)
                        .add("retentionDays", 90)
                        .add("streamTo", Json.createArrayBuilder(destinations))
                        .build()
                        .toString());
    }

    private static Map<String, JsonObject> ownLags(ProductionStack stack, String token) throws Exception {
        Map<String, JsonObject> lags = new HashMap<>();
        try (var reader = Json.createReader(
                new StringReader(stack.get("/api/stream-destinations", token).body()))) {
            reader.readArray()
                    .forEach(d -> lags.put(
                            d.asJsonObject().getString("name"), d.asJsonObject().getJsonObject("lag")));
        }
        return lags;
    }

    /** Each record's lag at the collector, by id: its receive stamp less the record's time. */
    private static Map<String, Long> syslogLags(SyslogCollector syslog) {
        Map<String, Long> lags = new HashMap<>();
        try {
            for (String line : syslog.lines()) {
                Matcher m = STAMPED.matcher(line);
                if (m.matches()) {
                    lags.put(
                            m.group(3),
                            OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli()
                                    - Instant.parse(m.group(2)).toEpochMilli());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lags;
    }

    record Phase(long sent, long stored, long distinct, double seconds, double rate, double slowest, long endNanos) {}

    /** One phase: the producers send for bench.seconds; done when every event is stored. */
    private Phase ingest(ProductionStack stack, String prefix) throws Exception {
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> produce(stack, prefix, producer, deadline, sent), "bench-" + prefix + p);
            t.start();
            threads.add(t);
        }
        String count = "select count(*) from ContainerRegistryRepositoryEvents where EventId like '" + prefix + "-%'";
        List<Long> samples = new ArrayList<>();
        while (threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(10_000);
            samples.add(stack.queryLong(count));
        }
        long end = System.nanoTime();
        while (stack.queryLong(count) < sent.get()) {
            Thread.sleep(1000);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double slowest = Double.MAX_VALUE;
        for (int i = 1; i < samples.size(); i++) {
            slowest = Math.min(slowest, (samples.get(i) - samples.get(i - 1)) / 10.0);
        }
        return new Phase(
                sent.get(),
                stack.queryLong(count),
                stack.queryLong(
                        "select count(distinct EventId) from ContainerRegistryRepositoryEvents where EventId like '"
                                + prefix + "-%'"),
                seconds,
                sent.get() / elapsed,
                slowest == Double.MAX_VALUE ? 0 : slowest,
                end);
    }

    private void produce(ProductionStack stack, String prefix, int producer, long deadline, AtomicLong sent) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD);
        double perThread = rate / (double) producers;
        long begin = System.nanoTime();
        long mine = 0;
        try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = context.createQueue("registry-audit.events");
            JMSProducer jms = context.createProducer()
                    .setProperty("contentType", "application/vnd.registryaudit.repository-event+json")
                    .setProperty("loginServer", "bench.example.com");
            while (System.nanoTime() < deadline) {
                long wait = begin + (long) (mine / perThread * 1e9) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                jms.send(
                        queue,
                        Json.createObjectBuilder()
                                .add("EventId", prefix + "-" + producer + "-" + mine)
                                .add("TimeGenerated", Instant.now().toString())
                                .add("OperationName", "Push")
                                .add("Repository", "bench/app-" + (mine % 50))
                                .add("Tag", "v" + mine)
                                .add("Digest", "sha256:" + "0".repeat(56) + String.format("%08x", mine))
                                .add("Size", 418)
                                .add("Identity", "bench")
                                .add("ResultType", "200")
                                .add("CallerIpAddress", "10.0.0.1")
                                .build()
                                .toString());
                mine++;
                if (mine % 25 == 0) {
                    context.commit();
                    sent.addAndGet(25);
                }
            }
            context.commit();
            sent.addAndGet(mine % 25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void put(ProductionStack stack, String token, String path, String json) throws Exception {
        var r = stack.put(path, json, token);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
        }
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private void line(String format, Object... args) {
        report.add(String.format(Locale.ROOT, format, args));
        System.out.println(report.get(report.size() - 1)); // as it goes: a long run that fails keeps its figures
    }
}
