package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

/**
 * notary-server 0.7.0 (Debian, on PostgreSQL, TLS, token auth) and Registry Audit (Payara Micro on
 * PostgreSQL, plain HTTP as behind a TLS-terminating proxy), side by side in one run, each holding
 * the same changes: 100-record pages from random cursors, globally and per GUN, from concurrent
 * clients, each client reusing its connection. Both verify a token on every request. Not part of
 * the suite; docs/benchmarks.md has the command and the figures.
 *
 * <p>The clients are wrk (Debian's {@code wrk}, in C: it takes little of the two cores that the
 * servers and PostgreSQL share), one connection per client, a Lua script picking each request's
 * cursor and GUN; {@code -Dbench.client=java} uses Java's HttpClient threads in this JVM instead,
 * as the first sessions did.
 *
 * <p>System properties: {@code bench.changes} (default 1,000,000), {@code bench.guns} (default
 * 1,000), {@code bench.seconds} per measurement (default 30), {@code bench.clients} (default 4),
 * {@code bench.client} ({@code wrk}, the default, or {@code java}).
 */
class ChangefeedBenchmark {

    private final int changes = Integer.getInteger("bench.changes", 1_000_000);
    private final int guns = Integer.getInteger("bench.guns", 1_000);
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    private final int clients = Integer.getInteger("bench.clients", 4);
    private final boolean wrk = !"java".equals(System.getProperty("bench.client", "wrk"));

    record Result(long requests, double perSecond, double p50, double p99) {}

    @Test
    void measure() throws Exception {
        String password = "bench-admin-password";
        try (NotaryUnderTest notary = NotaryUnderTest.prepare(
                        Path.of("target", "st", "notary-bench").toAbsolutePath(), "notary_bench");
                ProductionStack stack = ProductionStack.start(
                        "changefeed_bench",
                        Map.of(
                                "REGISTRY_AUDIT_ADMIN_PASSWORD",
                                password,
                                "REGISTRY_AUDIT_TOKEN_LIFETIME_SECONDS",
                                "7200",
                                "REGISTRY_AUDIT_PASSWORD_ITERATIONS",
                                "1024",
                                "JAVA_TOOL_OPTIONS",
                                System.getProperty("bench.serverJvmOptions", ""),
                                "MP_JWT_VERIFY_AUDIENCES",
                                "registry-audit," + NotaryUnderTest.SERVICE))) {
            notary.start(stack);
            long loadStart = System.nanoTime();
            loadNotary(notary);
            loadOurs(stack);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

            String ourToken = ProductionStack.tokenOf(
                    stack.getWithBasic("/auth/token", "admin", password).body());
            String theirToken = ProductionStack.tokenOf(stack.getWithBasic(
                            "/auth/token?service=" + NotaryUnderTest.SERVICE + "&scope="
                                    + URLEncoder.encode("registry:catalog:*", StandardCharsets.UTF_8),
                            "admin",
                            password)
                    .body());
            String ours = "http://127.0.0.1:" + stack.httpPort;
            String theirs = notary.url();
            SSLContext tls = notary.sslContext();

            // notary-server checks the token's access claim: a token per GUN, fetched before measuring
            List<String> gunTokens = new ArrayList<>();
            for (int g = 0; g < guns; g++) {
                gunTokens.add(ProductionStack.tokenOf(stack.getWithBasic(
                                "/auth/token?service=" + NotaryUnderTest.SERVICE + "&scope="
                                        + URLEncoder.encode("repository:" + gun(g) + ":pull", StandardCharsets.UTF_8),
                                "admin",
                                password)
                        .body()));
            }
            // the same requests for both: notary IDs start at 1, ours at 2
            Map<String, Result> results = new java.util.LinkedHashMap<>();
            for (String round : List.of("warm-up", "measured")) {
                int duration = round.equals("warm-up") ? Math.max(5, seconds / 3) : seconds;
                if (wrk) {
                    results.put(
                            round + " notary-server, global", runWrk(theirs, duration, List.of(theirToken), false, 0));
                    results.put(round + " Registry Audit, global", runWrk(ours, duration, List.of(ourToken), false, 1));
                    results.put(round + " notary-server, per GUN", runWrk(theirs, duration, gunTokens, true, 0));
                    results.put(round + " Registry Audit, per GUN", runWrk(ours, duration, List.of(ourToken), true, 1));
                    continue;
                }
                results.put(
                        round + " notary-server, global",
                        run(
                                theirs,
                                tls,
                                duration,
                                (r, c) -> new Call("/v2/_trust/changefeed?records=100&change_id=" + c, theirToken)));
                results.put(
                        round + " Registry Audit, global",
                        run(
                                ours,
                                tls,
                                duration,
                                (r, c) ->
                                        new Call("/v2/_trust/changefeed?records=100&change_id=" + (c + 1), ourToken)));
                results.put(round + " notary-server, per GUN", run(theirs, tls, duration, (r, c) -> {
                    int g = r.nextInt(guns);
                    return new Call(
                            "/v2/" + gun(g) + "/_trust/changefeed?records=100&change_id=" + c, gunTokens.get(g));
                }));
                results.put(
                        round + " Registry Audit, per GUN",
                        run(
                                ours,
                                tls,
                                duration,
                                (r, c) -> new Call(
                                        "/v2/" + gun(r.nextInt(guns)) + "/_trust/changefeed?records=100&change_id="
                                                + (c + 1),
                                        ourToken)));
            }
            System.out.printf("%n## Changefeed benchmark, %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            System.out.printf(
                    "machine: %d cores, Java %s; %,d changes over %,d GUNs, loaded in %.0f s; %d clients (%s), "
                            + "%d s per measurement%n%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    changes,
                    guns,
                    loadSeconds,
                    clients,
                    wrk ? "wrk" : "Java HttpClient",
                    seconds);
            System.out.println("| server, feed | requests | requests/s | p50 ms | p99 ms |");
            System.out.println("|---|---|---|---|---|");
            results.forEach((name, r) -> {
                if (name.startsWith("measured")) {
                    System.out.printf(
                            "| %s | %,d | %,.0f | %.2f | %.2f |%n",
                            name.substring(9), r.requests(), r.perSecond(), r.p50(), r.p99());
                }
            });
            Result ng = results.get("measured notary-server, global");
            Result og = results.get("measured Registry Audit, global");
            Result np = results.get("measured notary-server, per GUN");
            Result op = results.get("measured Registry Audit, per GUN");
            System.out.printf(
                    "%nratio (ours / notary-server, requests/s): global %.2f, per GUN %.2f%n%n",
                    og.perSecond() / ng.perSecond(), op.perSecond() / np.perSecond());
        }
    }

    private String gun(int g) {
        return "registry.example.com/bench/g" + g;
    }

    /** One request: the path and query, and the token to send. */
    record Call(String path, String token) {}

    interface Calls {
        Call next(ThreadLocalRandom random, long cursor);
    }

    private Result run(String base, SSLContext tls, int duration, Calls calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + duration * 1_000_000_000L;
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .sslContext(tls)
                        .build();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long[] latencies = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length) {
                    Call call = calls.next(random, random.nextLong(changes - 100L));
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(URI.create(base + call.path()))
                                    .header("Authorization", "Bearer " + call.token())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    latencies[n++] = System.nanoTime() - t0;
                    assertEquals(200, response.statusCode(), response.body());
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(
                sorted.length,
                sorted.length / (double) duration,
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    /**
     * wrk with {@code clients} connections for {@code duration} seconds: each request a 100-record
     * page from a random cursor (plus {@code offset}: notary's IDs start at 1, ours at 2), of the
     * global feed or of a random GUN, with the token of that GUN when one token per GUN is given.
     */
    private Result runWrk(String base, int duration, List<String> tokens, boolean perGun, int offset) throws Exception {
        StringBuilder lua = new StringBuilder("local tokens = {");
        for (String token : tokens) {
            lua.append('"').append(token).append("\",");
        }
        lua.append("}\n")
                .append("math.randomseed(tonumber(tostring({}):match(\"0x(%x+)\"):sub(-8), 16))\n")
                .append("request = function()\n")
                .append("  local c = math.random(0, ")
                .append(changes - 101)
                .append(") + ")
                .append(offset)
                .append("\n");
        if (perGun) {
            lua.append("  local g = math.random(0, ")
                    .append(guns - 1)
                    .append(")\n")
                    .append("  local t = tokens[#tokens == 1 and 1 or g + 1]\n")
                    .append("  return wrk.format(\"GET\", \"/v2/registry.example.com/bench/g\" .. g .. ")
                    .append(
                            "\"/_trust/changefeed?records=100&change_id=\" .. c, {[\"Authorization\"] = \"Bearer \" .. t})\n");
        } else {
            lua.append("  return wrk.format(\"GET\", \"/v2/_trust/changefeed?records=100&change_id=\" .. c, ")
                    .append("{[\"Authorization\"] = \"Bearer \" .. tokens[1]})\n");
        }
        lua.append("end\n");
        Path script = Files.createTempFile("changefeed-bench", ".lua");
        Files.writeString(script, lua);
        Process process = new ProcessBuilder(
                        "wrk",
                        "-t",
                        String.valueOf(Math.min(2, clients)),
                        "-c",
                        String.valueOf(clients),
                        "-d",
                        duration + "s",
                        "--latency",
                        "-s",
                        script.toString(),
                        base)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Files.delete(script);
        if (process.exitValue() != 0 || output.contains("Non-2xx") || output.contains("Socket errors")) {
            throw new IllegalStateException("wrk against " + base + " did not get only 200s:\n" + output);
        }
        Matcher requests = Pattern.compile("(\\d+) requests in").matcher(output);
        Matcher rate = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(output);
        if (!requests.find() || !rate.find()) {
            throw new IllegalStateException("cannot read wrk's output:\n" + output);
        }
        return new Result(
                Long.parseLong(requests.group(1)),
                Double.parseDouble(rate.group(1)),
                wrkLatencyMs(output, "50%"),
                wrkLatencyMs(output, "99%"));
    }

    private static double wrkLatencyMs(String output, String percentile) {
        Matcher m =
                Pattern.compile("\\s" + percentile + "\\s+([\\d.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " latency in wrk's output:\n" + output);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private void loadNotary(NotaryUnderTest notary) throws Exception {
        try (Connection c = notary.jdbc();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO changefeed (created_at, gun, version, sha256, category) "
                    + "SELECT timestamp '2026-01-01' + g * interval '1 second', "
                    + "'registry.example.com/bench/g' || (g % " + guns + "), g / " + guns + " + 1, "
                    + "md5(g::text) || md5((g + 1)::text), 'update' FROM generate_series(0, " + (changes - 1) + ") g");
            s.execute("ANALYZE changefeed");
        }
    }

    private void loadOurs(ProductionStack stack) throws Exception {
        try (Connection c = stack.jdbc();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO TrustChanges (Id, EventId, FeedAt, CreatedAt, ReceivedAt, GUN, Version, SHA256, "
                    + "Category, Source) SELECT g + 2, 'bench-' || g, timestamptz '2026-01-01Z' + g * interval '1 second', "
                    + "timestamptz '2026-01-01Z' + g * interval '1 second', timestamptz '2026-01-01Z' + g * interval '1 second', "
                    + "'registry.example.com/bench/g' || (g % " + guns + "), g / " + guns + " + 1, "
                    + "md5(g::text) || md5((g + 1)::text), 'update', 'bench' FROM generate_series(0, " + (changes - 1)
                    + ") g");
            s.execute("UPDATE FeedPositions SET LastId = " + (changes + 1) + ", LastAt = timestamptz '2026-01-01Z' + "
                    + (changes - 1) + " * interval '1 second' WHERE Name = 'changefeed'");
            s.execute("ANALYZE TrustChanges");
        }
    }
}
