package org.registryaudit.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * Sustained end-to-end ingest on the production stack (PostgreSQL, standalone Artemis, Payara
 * Micro), next to the limits of its two parts measured in the same run: the broker alone (Artemis'
 * own {@code perf client}) and the database alone (batched JDBC inserts into the same table).
 * Not part of the test suite; docs/benchmarks.md has the command and the figures.
 *
 * <p>System properties: {@code bench.seconds} (duration of the ingest phase, default 60),
 * {@code bench.producers} (sending threads, default 4), {@code bench.batch} (events per message,
 * default 1), {@code bench.rate} (events/s the producers aim at in total, default 0 = as fast as
 * they can), {@code bench.consumers} (the server's registry-audit.consumers, default: its own).
 */
class IngestBenchmark {

    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int producers = Integer.getInteger("bench.producers", 4);
    private static final int TRANSACTION = 25;
    private final int batch = Integer.getInteger("bench.batch", 1);
    private final int rate = Integer.getInteger("bench.rate", 0);
    private final String consumers = System.getProperty("bench.consumers");
    private boolean withoutAutovacuum;
    private final List<String> report = new ArrayList<>();

    @Test
    void measure() throws Exception {
        try (ProductionStack stack = ProductionStack.start(
                "registry_audit_bench", consumers == null ? Map.of() : Map.of("REGISTRY_AUDIT_CONSUMERS", consumers))) {
            String brokerLimit = brokerLimit(stack);
            double dbLimit = databaseLimit(stack);
            withoutAutovacuum = autovacuumOff(stack);
            Ingest ingest = ingest(stack);
            line("## Ingest benchmark, %s", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            line(
                    "machine: %d cores, %s; %s",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"),
                    System.getProperty("java.version"));
            line(
                    "settings: %d s, %d producers, %d event(s) per message, target rate %s, consumers %s",
                    seconds,
                    producers,
                    batch,
                    rate == 0 ? "unbounded" : rate + " events/s",
                    consumers == null ? "as configured" : consumers);
            if (withoutAutovacuum) {
                line("PostgreSQL runs with autovacuum off: the benchmark ran ANALYZE on the table every 10 s, as "
                        + "autovacuum's auto-analyze would");
            }
            line("");
            line("| measure | figure |");
            line("|---|---|");
            line("| events sent | %d (in %d messages) |", ingest.sent, ingest.sent / batch);
            line("| events stored | %d (distinct ids %d) |", ingest.stored, ingest.distinct);
            line("| end-to-end throughput, whole run | %.0f events/s |", ingest.throughput);
            line("| slowest 10 s window | %.0f events/s |", ingest.slowestWindow);
            line(
                    "| latency send → stored, p50 / p99 / max | %.1f / %.1f / %.1f ms |",
                    ingest.p50, ingest.p99, ingest.max);
            line("| database alone: batched inserts (1000 per batch) | %.0f rows/s |", dbLimit);
            line("| broker alone: artemis perf client, persistent | %s |", brokerLimit);
            line("| end-to-end / database limit | %.2f |", ingest.throughput / dbLimit);
            String text = String.join("\n", report) + "\n";
            Path out = Path.of("target", "benchmarks", "ingest-" + Instant.now().getEpochSecond() + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            System.out.println(text);
        }
    }

    private void line(String format, Object... args) {
        report.add(String.format(Locale.ROOT, format, args));
    }

    record Ingest(
            long sent,
            long stored,
            long distinct,
            double throughput,
            double slowestWindow,
            double p50,
            double p99,
            double max) {}

    private Ingest ingest(ProductionStack stack) throws Exception {
        AtomicLong sent = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> produce(stack, producer, deadline, sent), "bench-producer-" + p);
            thread.start();
            threads.add(thread);
        }
        long start = System.nanoTime();
        List<Long> samples = new ArrayList<>();
        while (threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(10_000);
            samples.add(stack.queryLong("select count(*) from ContainerRegistryRepositoryEvents"));
            if (withoutAutovacuum) {
                analyze(stack);
            }
        }
        long target = sent.get();
        // Counting is a scan of the whole table: poll seldom, or the measurement eats the CPU it measures.
        while (stack.queryLong("select count(*) from ContainerRegistryRepositoryEvents") < target) {
            Thread.sleep(5000);
        }
        double elapsed = (System.nanoTime() - start) / 1e9; // up to 5 s late: throughput is a lower bound
        double slowest = Double.MAX_VALUE;
        for (int i = 1; i < samples.size(); i++) {
            slowest = Math.min(slowest, (samples.get(i) - samples.get(i - 1)) / 10.0);
        }
        double[] latency = new double[3];
        try (Connection c = stack.jdbc();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "select percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms),"
                                + " max(ms) from (select extract(epoch from ReceivedAt - TimeGenerated) * 1000 as ms"
                                + " from ContainerRegistryRepositoryEvents) t")) {
            r.next();
            for (int i = 0; i < 3; i++) {
                latency[i] = r.getDouble(i + 1);
            }
        }
        return new Ingest(
                target,
                stack.queryLong("select count(*) from ContainerRegistryRepositoryEvents"),
                stack.queryLong("select count(distinct EventId) from ContainerRegistryRepositoryEvents"),
                target / elapsed,
                slowest == Double.MAX_VALUE ? target / elapsed : slowest,
                latency[0],
                latency[1],
                latency[2]);
    }

    private void produce(ProductionStack stack, int producer, long deadline, AtomicLong sent) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                stack.brokerUrl(), ProductionStack.BROKER_USER, ProductionStack.BROKER_PASSWORD);
        double perThread = rate == 0 ? 0 : rate / (double) producers;
        long begin = System.nanoTime();
        long mine = 0;
        // A high-rate producer sends in transactions: one durable sync per 25 messages, not per message.
        try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = context.createQueue("registry-audit.events");
            JMSProducer jms = context.createProducer()
                    .setProperty("contentType", "application/vnd.registryaudit.repository-event+json")
                    .setProperty("loginServer", "bench.example.com");
            while (System.nanoTime() < deadline) {
                if (perThread > 0) {
                    long due = begin + (long) (mine / perThread * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                JsonArrayBuilder events = Json.createArrayBuilder();
                for (int i = 0; i < batch; i++) {
                    events.add(Json.createObjectBuilder()
                            .add("EventId", "bench-" + producer + "-" + (mine + i))
                            .add("TimeGenerated", Instant.now().toString())
                            .add("OperationName", "Push")
                            .add("Repository", "bench/app-" + (mine % 50))
                            .add("Tag", "v" + mine)
                            .add("Digest", "sha256:" + "0".repeat(56) + String.format("%08x", mine))
                            .add("MediaType", "application/vnd.oci.image.manifest.v1+json")
                            .add("Size", 418)
                            .add("Identity", "bench")
                            .add("ResultType", "200")
                            .add("CallerIpAddress", "10.0.0.1"));
                }
                jms.send(queue, events.build().toString());
                mine += batch;
                if ((mine / batch) % TRANSACTION == 0) {
                    context.commit();
                    sent.addAndGet((long) TRANSACTION * batch);
                }
            }
            context.commit();
            sent.addAndGet(mine % ((long) TRANSACTION * batch));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What autovacuum's auto-analyze does on a production PostgreSQL as a table grows. Without it
     * (this machine's PostgreSQL runs with autovacuum off), the statements the server prepared while
     * the table was empty keep their sequential scans, and ingest slows down with every row.
     */
    private static void analyze(ProductionStack stack) throws Exception {
        try (Connection c = stack.jdbc();
                Statement s = c.createStatement()) {
            s.execute("ANALYZE ContainerRegistryRepositoryEvents");
            s.execute("ANALYZE MetricCounts");
        }
    }

    private static boolean autovacuumOff(ProductionStack stack) throws Exception {
        try (Connection c = stack.jdbc();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW autovacuum")) {
            return r.next() && "off".equals(r.getString(1));
        }
    }

    /** The database alone: 200,000 rows into a copy of the table, 1,000 per batch and commit. */
    private double databaseLimit(ProductionStack stack) throws Exception {
        int rows = 200_000;
        try (Connection c = stack.jdbc()) {
            try (Statement s = c.createStatement()) {
                s.execute("create table BenchInserts (like ContainerRegistryRepositoryEvents including all)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("insert into BenchInserts (Id, EventId, TimeGenerated,"
                    + " ReceivedAt, LoginServer, OperationName, Repository, Tag, Digest, MediaType, Size, Identity,"
                    + " ResultType, CallerIpAddress) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    Timestamp now = Timestamp.from(Instant.now());
                    insert.setLong(1, i);
                    insert.setString(2, "db-" + i);
                    insert.setTimestamp(3, now);
                    insert.setTimestamp(4, now);
                    insert.setString(5, "bench.example.com");
                    insert.setString(6, "Push");
                    insert.setString(7, "bench/app-" + (i % 50));
                    insert.setString(8, "v" + i);
                    insert.setString(9, "sha256:" + "0".repeat(56) + String.format("%08x", i));
                    insert.setString(10, "application/vnd.oci.image.manifest.v1+json");
                    insert.setLong(11, 418);
                    insert.setString(12, "bench");
                    insert.setString(13, "200");
                    insert.setString(14, "10.0.0.1");
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
            double perSecond = rows / ((System.nanoTime() - start) / 1e9);
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("drop table BenchInserts");
            }
            return perSecond;
        }
    }

    /** The broker alone, with its own tool: persistent messages of our size, sent and consumed. */
    private String brokerLimit(ProductionStack stack) throws Exception {
        Path log = stack.root().resolve("artemis-perf.log");
        ProductionStack.run(
                List.of(
                        stack.artemisHome().resolve("bin/artemis").toString(),
                        "perf",
                        "client",
                        "--url",
                        stack.brokerUrl(),
                        "--user",
                        ProductionStack.BROKER_USER,
                        "--password",
                        ProductionStack.BROKER_PASSWORD,
                        "--persistent",
                        "--duration",
                        "30",
                        "--warmup",
                        "5",
                        "--message-size",
                        "700",
                        "--producers",
                        String.valueOf(producers),
                        "--consumers",
                        "16",
                        "queue://bench-broker-limit"),
                log);
        String summary = Files.readString(log);
        summary = summary.substring(Math.max(0, summary.indexOf("--- SUMMARY")));
        java.util.regex.Matcher received =
                java.util.regex.Pattern.compile("total received:\\s+(\\d+)").matcher(summary);
        java.util.regex.Matcher transfer = java.util.regex.Pattern.compile(
                        "aggregated transfer time:.*?50.00%:\\s+([\\d.]+) us.*?99.00%:\\s+([\\d.]+) us")
                .matcher(summary);
        if (!received.find() || !transfer.find()) {
            return "see " + log;
        }
        return String.format(
                Locale.ROOT,
                "%.0f msg/s (%s messages in 30 s), transfer p50 %.1f ms, p99 %.1f ms",
                Long.parseLong(received.group(1)) / 30.0,
                received.group(1),
                Double.parseDouble(transfer.group(1)) / 1000,
                Double.parseDouble(transfer.group(2)) / 1000);
    }
}
