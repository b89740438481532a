package org.registryaudit.system;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * ingests one event per JMS message at a paced rate, first with no destination (the baseline),
 * then streaming every event to three at once: rsyslog over TLS (OCSF), a webhook endpoint
 * (CloudEvents, signatures checked with the Standard Webhooks library) and a JMS topic. For each
 * transport: records delivered, their rate, and the lag from the event's time to its arrival at
 * the receiver (p50 / p99 / max). Not part of the test suite; docs/benchmarks.md has the command and
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
    static final Pattern STAMPED = Pattern.compile("(\\S+) <\\d+>1 (\\S+) .*");

    @Test
    void measure() throws Exception {
        Path root = Path.of("target", "streaming-bench").toAbsolutePath();
        ProductionStack.deleteRecursively(root);
        Path ca = root.resolve("ca");
        SyslogCollector.makeCertificates(ca);
        String secret = StreamingST.SECRET;
        try (SyslogCollector syslog =
                        SyslogCollector.start(root.resolve("rsyslog"), ProductionStack.freePort(), true, ca, true);
                WebhookReceiver hook = new WebhookReceiver(secret);
                ProductionStack stack = ProductionStack.start(
                        "registry_audit_stream_bench", Map.of("REGISTRY_AUDIT_STREAM_HOOK_SECRET", secret))) {
            String token = stack.adminToken();
            Phase baseline = ingest(stack, "base");

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
            put(
                    stack,
                    token,
                    "/api/diagnostic-settings/*/ContainerRegistryRepositoryEvents",
                    "{\"collect\":true,\"archive\":true,\"retentionDays\":90,\"streamTo\":[\"siem\",\"hook\",\"topic\"]}");
            Map<String, Long> onTopic = new ConcurrentHashMap<>();
            try (JMSContext subscriber = new ActiveMQConnectionFactory(
                            stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD)
                    .createContext()) {
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
                Thread.sleep(3000); // the destinations' threads start within 2 s
                Map<String, Long> atHook = new ConcurrentHashMap<>();
                hook.onEvent = (id, event) -> atHook.put(
                        id,
                        System.currentTimeMillis()
                                - Instant.parse(event.getString("time")).toEpochMilli());
                Phase streaming = ingest(stack, "stream");
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while ((atHook.size() < streaming.sent
                                || onTopic.size() < streaming.sent
                                || syslogLags(syslog).size() < streaming.sent)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                }
                long drained = System.nanoTime();
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
                line("| phase | events sent | stored (distinct) | ingest events/s | slowest 10 s window |");
                line("|---|---|---|---|---|");
                baseline.line(this, "no destination");
                streaming.line(this, "three destinations");
                line("");
                line("Delivery in the streaming phase (lag: from the event's time, stamped by the producer as it"
                        + " sends, to its arrival at the receiver; it includes ingest's own latency):");
                line("");
                line(
                        "| transport | records delivered | delivered/s over the phase | lag p50 / p99 / max | drained after the last send |");
                line("|---|---|---|---|---|");
                double drainSeconds = (drained - streaming.endNanos) / 1e9;
                transport("syslog TLS, OCSF (rsyslog)", syslogLags(syslog), streaming, drainSeconds);
                transport("webhook, CloudEvents batches", new ArrayList<>(atHook.values()), streaming, drainSeconds);
                transport("JMS topic, JSON", new ArrayList<>(onTopic.values()), streaming, drainSeconds);
                line("");
                line(
                        "Webhook requests: %d, refused by the signature check: %d.",
                        hook.requests.get(), hook.refused.get());
                StringBuilder own = new StringBuilder();
                try (var reader = Json.createReader(new StringReader(
                        stack.get("/api/stream-destinations", token).body()))) {
                    reader.readArray()
                            .forEach(d -> own.append(own.length() > 0 ? "; " : "")
                                    .append(d.asJsonObject().getString("name"))
                                    .append(' ')
                                    .append(d.asJsonObject().getJsonObject("lag")));
                }
                line(
                        "The service's own view, storing to delivery over each destination's last 4,096 records: %s.",
                        own);
            }
            String text = String.join("\n", report) + "\n";
            Path out =
                    Path.of("target", "benchmarks", "streaming-" + Instant.now().getEpochSecond() + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            System.out.println(text);
        }
    }

    private void transport(String name, List<Long> lags, Phase phase, double drainSeconds) {
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            line("| %s | 0 | - | - | - |", name);
            return;
        }
        line(
                "| %s | %d of %d | %.0f | %d / %d / %d ms | %.1f s |",
                name,
                sorted.length,
                phase.sent,
                sorted.length / phase.seconds,
                sorted[(sorted.length - 1) / 2],
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1],
                sorted[sorted.length - 1],
                drainSeconds);
    }

    /** Lags of the streaming phase's records at the collector: its receive stamp less the record's time. */
    private static List<Long> syslogLags(SyslogCollector syslog) throws Exception {
        List<Long> lags = new ArrayList<>();
        for (String line : syslog.lines()) {
            Matcher m = STAMPED.matcher(line);
            if (m.matches() && line.contains("stream-")) {
                lags.add(OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli()
                        - Instant.parse(m.group(2)).toEpochMilli());
            }
        }
        return lags;
    }

    record Phase(long sent, long stored, long distinct, double seconds, double rate, double slowest, long endNanos) {
        void line(StreamingBenchmark b, String name) {
            b.line("| %s | %d | %d (%d) | %.0f | %.0f |", name, sent, stored, distinct, rate, slowest);
        }
    }

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
    }
}
