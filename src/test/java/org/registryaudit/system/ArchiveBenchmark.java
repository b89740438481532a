package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * Archive throughput on the production shape (Payara Micro with its heap capped, PostgreSQL), next
 * to the raw limit of writing the same gzip JSON Lines on the same machine, in one run: the server
 * archives a backlog of repository events with every column filled (gzip on), then this JVM writes
 * exactly the bytes of the resulting files again, gzipped and forced to disk file by file as the
 * archive does, with nothing else to do. Not part of the suite; docs/benchmarks.md has the command
 * and the figures.
 *
 * <p>System properties: {@code bench.records} (default 1,000,000), {@code bench.hours} the backlog
 * spans (default 168, one file each), {@code bench.warmUp} (records of the unmeasured first run,
 * default 100,000), {@code bench.heap} (default 512m), {@code bench.serverJvmOptions}.
 */
class ArchiveBenchmark {

    private final int records = Integer.getInteger("bench.records", 1_000_000);
    private final int hours = Integer.getInteger("bench.hours", 168);
    private final String heap = System.getProperty("bench.heap", "512m");
    private final int warmUp = Integer.getInteger("bench.warmUp", 100_000);

    @Test
    void measure() throws Exception {
        Path gcLog = Path.of("target", "st", "archive-bench-gc.log").toAbsolutePath();
        Files.createDirectories(gcLog.getParent());
        Files.deleteIfExists(gcLog);
        try (ProductionStack stack = ProductionStack.start(
                "archive_bench",
                Map.of(
                        ProductionStack.HEAP,
                        heap,
                        "REGISTRY_AUDIT_ARCHIVE_INTERVAL_MINUTES",
                        "0",
                        "REGISTRY_AUDIT_ARCHIVE_GZIP",
                        "true",
                        "JAVA_TOOL_OPTIONS",
                        "-Xlog:gc:file=" + gcLog + " " + System.getProperty("bench.serverJvmOptions", "")))) {
            String token = stack.adminToken();
            // A cold server spends the first seconds of a run compiling it (C2 took 42% of a core
            // throughout a cold 15 s run, top -H): a smaller run first warms it up, as a server that has
            // archived before would be. Its records are the day before the measured backlog.
            load(stack, warmUp, 24, "warm-", 200_000_000L, 24);
            double coldSeconds = archiveRun(stack, token, warmUp);
            long warmFiles = stack.queryLong("SELECT COALESCE(MAX(Id), 0) FROM ArchivedFiles");
            Path archive = stack.root().resolve("payara/registry-audit/archive");
            List<Path> before = gzipFiles(archive);

            long loadStart = System.nanoTime();
            load(stack, records, hours, "bench-", 100_000_000L, 0);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            String gcBefore = Files.exists(gcLog) ? Files.readString(gcLog) : "";
            double archiveSeconds = archiveRun(stack, token, records);

            long jsonBytes;
            long files;
            try (Connection c = stack.jdbc();
                    Statement s = c.createStatement();
                    ResultSet r =
                            s.executeQuery("SELECT SUM(Bytes), COUNT(*) FROM ArchivedFiles WHERE Id > " + warmFiles)) {
                r.next();
                jsonBytes = r.getLong(1);
                files = r.getLong(2);
            }
            List<Path> archived =
                    gzipFiles(archive).stream().filter(p -> !before.contains(p)).toList();
            long gzipBytes = 0;
            for (Path p : archived) {
                gzipBytes += Files.size(p);
            }
            double rawSeconds = rawGzipJsonLines(archived, stack.root().resolve("raw-limit"));
            double peakAfterGc = peakHeapAfterGcMb(Files.readString(gcLog).substring(gcBefore.length()));

            double mb = jsonBytes / 1e6;
            System.out.printf("%n## Archive benchmark, %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            System.out.printf(
                    "machine: %d cores, Java %s; %,d repository events over %d hours (%d files, %.0f MB of "
                            + "JSON Lines, %.0f MB gzipped), loaded in %.0f s; server heap -Xmx%s, heap after GC at most %.0f MB "
                            + "during the run%n%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    records,
                    hours,
                    files,
                    mb,
                    gzipBytes / 1e6,
                    loadSeconds,
                    heap,
                    peakAfterGc);
            System.out.println("| what | seconds | records/s | MB/s (JSON) |");
            System.out.println("|---|---|---|---|");
            System.out.printf(
                    "| Registry Audit archive run (read, write gzip, fsync, record, delete) | %.1f | %,.0f | %.1f |%n",
                    archiveSeconds, records / archiveSeconds, mb / archiveSeconds);
            System.out.printf(
                    "| raw limit: the same bytes, gzip + fsync per file, this JVM | %.1f | %,.0f | %.1f |%n",
                    rawSeconds, records / rawSeconds, mb / rawSeconds);
            System.out.printf("%nratio (archive / raw limit): %.2f%n", rawSeconds / archiveSeconds);
            System.out.printf(
                    "warm-up run first, on the cold server (not in the ratio): %,d records in %.1f s, %,.0f records/s%n%n",
                    warmUp, coldSeconds, warmUp / coldSeconds);
        }
    }

    /** Seconds to write the files' content again as gzip, each file forced to disk; reading them is not timed. */
    private static double rawGzipJsonLines(List<Path> files, Path into) throws Exception {
        Files.createDirectories(into);
        long elapsed = 0;
        int i = 0;
        for (Path file : files) {
            byte[] content;
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                content = in.readAllBytes();
            }
            Path target = into.resolve("PT1H." + i++ + ".json.gz");
            long t0 = System.nanoTime();
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target), 65536)) {
                for (int off = 0; off < content.length; off += 65536) {
                    out.write(content, off, Math.min(65536, content.length - off));
                }
            }
            try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            elapsed += System.nanoTime() - t0;
            Files.delete(target);
        }
        return elapsed / 1e9;
    }

    private static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");

    private static double peakHeapAfterGcMb(String gcLog) {
        Matcher m = AFTER_GC.matcher(gcLog);
        double peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Double.parseDouble(m.group(1)));
        }
        return peak;
    }

    /**
     * Repository events with every column filled, all past their retention, spread evenly over the
     * hours in the order they would have arrived (so an hour's rows lie together, as in production).
     */
    /** Starts an archive run and waits for it; its duration by the server's own start and finish times. */
    private static double archiveRun(ProductionStack stack, String token, long expected) throws Exception {
        long start = System.nanoTime();
        assertEquals(202, stack.post("/api/archive/runs", "", token).statusCode());
        JsonObject status;
        // Seldom polled: each status request is a JWT-checked call into the server being measured
        // (at 10 per second they took a fifth of its sampled Java time). The run's own start and
        // finish times give the duration; this side's clock only checks them.
        long polled;
        do {
            Thread.sleep(1000);
            polled = System.nanoTime();
            status = Json.createReader(
                            new StringReader(stack.get("/api/archive", token).body()))
                    .readObject();
        } while (status.getBoolean("running") || !status.containsKey("finishedAt"));
        double seconds = Duration.between(
                                Instant.parse(status.getString("startedAt")),
                                Instant.parse(status.getString("finishedAt")))
                        .toNanos()
                / 1e9;
        double observed = (polled - start) / 1e9;
        if (seconds > observed || seconds < observed - 2) {
            throw new IllegalStateException("the server's clock says " + seconds + " s, this side saw " + observed
                    + " s (polled once a second)");
        }
        assertEquals(expected, status.getJsonNumber("records").longValue(), status.toString());
        return seconds;
    }

    private static List<Path> gzipFiles(Path archive) throws IOException {
        if (!Files.exists(archive)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(archive)) {
            return walk.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
        }
    }

    /** {@code n} events over {@code span} hours, ending {@code hoursBefore} hours before the measured backlog starts. */
    private static void load(ProductionStack stack, int n, int span, String prefix, long firstId, int hoursBefore)
            throws Exception {
        try (Connection c = stack.jdbc();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO ContainerRegistryRepositoryEvents (Id, EventId, TimeGenerated, ReceivedAt, LoginServer, "
                            + "OperationName, Repository, Tag, Digest, MediaType, ArtifactType, Size, FromRepository, Identity, "
                            + "ResultType, ResultDescription, CallerIpAddress, UserAgent, HttpMethod, DurationMs, CorrelationId, "
                            + "Region) SELECT " + firstId + " + g, '" + prefix + "' || md5(g::text), "
                            + "date_trunc('hour', now() - interval '400 days') - interval '" + hoursBefore
                            + " hours' + (g * "
                            + (span * 3600.0 / n) + ") * interval '1 second', now() - interval '400 days', "
                            + "'registry.example.com', CASE WHEN g % 3 = 0 THEN 'Push' ELSE 'Pull' END, "
                            + "'team' || (g % 50) || '/app' || (g % 7), 'v1.' || (g % 1000), "
                            + "'sha256:' || md5(g::text) || md5((g + 1)::text), 'application/vnd.oci.image.manifest.v1+json', "
                            + "'application/vnd.oci.image.config.v1+json', 1000 + g % 100000, NULL, 'user' || (g % 200), "
                            + "CASE WHEN g % 3 = 0 THEN '201' ELSE '200' END, 'OK', '10.0.' || (g % 250) || '.' || (g % 199), "
                            + "'containerd/1.7.13+unknown', CASE WHEN g % 3 = 0 THEN 'PUT' ELSE 'GET' END, g % 500, "
                            + "md5((g * 7)::text), 'westeurope' FROM generate_series(0, " + (n - 1) + ") g");
            s.execute("ANALYZE ContainerRegistryRepositoryEvents");
        }
    }
}
