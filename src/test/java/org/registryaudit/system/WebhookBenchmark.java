package org.registryaudit.system;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonArray;

import org.junit.jupiter.api.Test;

/**
 * The webhook at the real registry's shape: {@code wrk} (Debian's) posts one docker-registry 2.8
 * notification per request, each event with its own id ({@code src/test/wrk/notification.lua}),
 * as fast as its connections go, to the production stack or to the embedded defaults. Reports
 * wrk's requests/s and latency, then the rate at which the acknowledged events became rows, and
 * checks rows = distinct ids, with every acknowledged event among them. Not part of the test suite;
 * docs/benchmarks.md has the command and the figures.
 *
 * <p>System properties: {@code bench.seconds} (wrk's duration, default 60), {@code bench.clients}
 * (wrk's connections, default 16), {@code bench.warmup} (seconds of wrk before the measured run,
 * default 20), {@code bench.embedded} (true: H2 and the embedded broker).
 */
class WebhookBenchmark {

    private static final String SERVER = "bench.example.com";
    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int clients = Integer.getInteger("bench.clients", 16);
    private final int warmup = Integer.getInteger("bench.warmup", 20);
    private final boolean embedded = Boolean.getBoolean("bench.embedded");
    private final List<String> report = new ArrayList<>();

    @Test
    void measure() throws Exception {
        try (ProductionStack stack = embedded
                ? ProductionStack.embedded("bench_webhook")
                : ProductionStack.start("registry_audit_bench_webhook")) {
            String token = stack.adminToken();
            // warm-up: the JIT compiles the request path first (a cold server answered half as fast)
            long warmedUp =
                    Long.parseLong(wrkResult(wrk(stack, warmup, "warmup")).get("accepted"));
            while (rows(stack, token) < warmedUp) {
                Thread.sleep(1000);
            }
            long before = rows(stack, token);
            long start = System.nanoTime();
            Process wrk = wrkProcess(stack, seconds, "wrk");
            List<Long> samples = new ArrayList<>();
            while (!wrk.waitFor(10, TimeUnit.SECONDS)) {
                samples.add(
                        rows(stack, token)); // a count only: dcount on every sample would cost the cores it measures
            }
            double wrkSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, String> result = wrkResult(Files.readString(stack.root().resolve("wrk.log")));
            long accepted = Long.parseLong(result.get("accepted"));
            while (rows(stack, token) - before < accepted) {
                Thread.sleep(2000);
            }
            double allStored = (System.nanoTime() - start) / 1e9; // up to 2 s late: a lower bound
            Thread.sleep(3000); // a late duplicate would show now
            long[] total = stored(stack, token);
            long[] stored = {total[0] - before, total[1] - before};
            double slowest = Double.MAX_VALUE;
            for (int i = 1; i < samples.size(); i++) {
                slowest = Math.min(slowest, (samples.get(i) - samples.get(i - 1)) / 10.0);
            }
            line(
                    "## Webhook benchmark, %s, %s",
                    embedded ? "embedded defaults (H2, embedded broker)" : "PostgreSQL and a standalone Artemis",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
            line(
                    "machine: %d cores, %s; %s; wrk -t2 -c%d -d%ds after a %d s warm-up, one event per POST",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"),
                    System.getProperty("java.version"),
                    clients,
                    seconds,
                    warmup);
            line("");
            line("| measure | figure |");
            line("|---|---|");
            line(
                    "| requests (ids generated / answered 202 / other statuses / socket errors) | %s / %s / %s / %s |",
                    result.get("generated"),
                    result.get("accepted"),
                    result.get("refused"),
                    result.get("socket_errors"));
            line("| requests/s answered 202 | %.0f |", accepted / Double.parseDouble(result.get("seconds")));
            line(
                    "| latency p50 / p90 / p99 / max | %s / %s / %s / %s ms |",
                    result.get("p50_ms"), result.get("p90_ms"), result.get("p99_ms"), result.get("max_ms"));
            line("| rows (distinct ids) | %d (%d) |", stored[0], stored[1]);
            line("| rows/s, first request to the last acknowledged event stored | %.0f |", accepted / allStored);
            line(
                    "| slowest 10 s window of rows while wrk ran | %.0f rows/s |",
                    slowest == Double.MAX_VALUE ? 0 : slowest);
            line(
                    "| events stored after wrk ended | %.1f s of it (wrk ran %.1f s) |",
                    allStored - wrkSeconds, wrkSeconds);
            String text = String.join("\n", report) + "\n";
            Path out =
                    Path.of("target", "benchmarks", "webhook-" + Instant.now().getEpochSecond() + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            System.out.println(text);
            if (stored[0] != stored[1] || stored[0] < accepted || stored[0] > Long.parseLong(result.get("generated"))) {
                throw new AssertionError("rows " + stored[0] + ", distinct ids " + stored[1] + ", acknowledged "
                        + accepted + ", generated " + result.get("generated"));
            }
        }
    }

    private Process wrkProcess(ProductionStack stack, int duration, String run) throws Exception {
        return new ProcessBuilder(
                        "wrk",
                        "-t2",
                        "-c" + clients,
                        "-d" + duration + "s",
                        "--timeout",
                        "30s",
                        "-s",
                        Path.of("src/test/wrk/notification.lua")
                                .toAbsolutePath()
                                .toString(),
                        stack.url("/notifications").toString(),
                        "--",
                        stack.dataFile("notification-secret"),
                        run + Instant.now().getEpochSecond())
                .redirectErrorStream(true)
                .redirectOutput(stack.root().resolve(run + ".log").toFile())
                .start();
    }

    private String wrk(ProductionStack stack, int duration, String run) throws Exception {
        wrkProcess(stack, duration, run).waitFor();
        return Files.readString(stack.root().resolve(run + ".log"));
    }

    private void line(String format, Object... args) {
        report.add(String.format(Locale.ROOT, format, args));
    }

    /** The key=value pairs of the script's {@code wrk-result} line. */
    static Map<String, String> wrkResult(String output) {
        Matcher line = Pattern.compile("wrk-result (.*)").matcher(output);
        if (!line.find()) {
            throw new IllegalStateException("wrk printed no result:\n" + output);
        }
        Map<String, String> values = new HashMap<>();
        for (String pair : line.group(1).trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], kv[1]);
        }
        return values;
    }

    static long rows(ProductionStack stack, String token) throws Exception {
        return query(stack, token, "summarize rows = count()").getJsonNumber(0).longValue();
    }

    /** Rows and distinct EventIds of the benchmark's login server, through the query API. */
    static long[] stored(ProductionStack stack, String token) throws Exception {
        JsonArray row = query(stack, token, "summarize rows = count(), ids = dcount(EventId)");
        return new long[] {
            row.getJsonNumber(0).longValue(), row.getJsonNumber(1).longValue()
        };
    }

    private static JsonArray query(ProductionStack stack, String token, String summarize) throws Exception {
        String body = Json.createObjectBuilder()
                .add(
                        "query",
                        "ContainerRegistryRepositoryEvents | where LoginServer == \"" + SERVER + "\" | " + summarize)
                .build()
                .toString();
        HttpResponse<String> answer = stack.post("/api/query", body, token);
        if (answer.statusCode() == 401) { // a run longer than the token's lifetime
            answer = stack.post("/api/query", body, stack.adminToken());
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(answer.statusCode() + " " + answer.body());
        }
        return Json.createReader(new StringReader(answer.body()))
                .readObject()
                .getJsonArray("tables")
                .getJsonObject(0)
                .getJsonArray("rows")
                .getJsonArray(0);
    }
}
