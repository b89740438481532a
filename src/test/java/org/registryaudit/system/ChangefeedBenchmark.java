package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

/**
 * notary-server 0.7.0 (Debian, on PostgreSQL, TLS, token auth) and Registry Audit (Payara Micro on
 * PostgreSQL, plain HTTP as behind a TLS-terminating proxy), side by side in one run, each holding
 * the same changes: 100-record pages from random cursors, globally and per GUN, from concurrent
 * clients, each client reusing its connection. Both verify a token on every request. Not part of
 * the suite; docs/benchmarks.md has the command and the figures.
 *
 * <p>System properties: {@code bench.changes} (default 1,000,000), {@code bench.guns} (default
 * 1,000), {@code bench.seconds} per measurement (default 30), {@code bench.clients} (default 4).
 */
class ChangefeedBenchmark {

    private final int changes = Integer.getInteger("bench.changes", 1_000_000);
    private final int guns = Integer.getInteger("bench.guns", 1_000);
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    private final int clients = Integer.getInteger("bench.clients", 4);

    record Result(long requests, double perSecond, double p50, double p99) {
    }

    @Test
    void measure() throws Exception {
        String password = "bench-admin-password";
        try (NotaryUnderTest notary = NotaryUnderTest.prepare(
                java.nio.file.Path.of("target", "st", "notary-bench").toAbsolutePath(), "notary_bench");
                ProductionStack stack = ProductionStack.start("changefeed_bench", Map.of(
                        "REGISTRY_AUDIT_ADMIN_PASSWORD", password,
                        "REGISTRY_AUDIT_TOKEN_LIFETIME_SECONDS", "7200",
                        "REGISTRY_AUDIT_PASSWORD_ITERATIONS", "1024",
                        "JAVA_TOOL_OPTIONS", System.getProperty("bench.serverJvmOptions", ""),
                        "MP_JWT_VERIFY_AUDIENCES", "registry-audit," + NotaryUnderTest.SERVICE))) {
            notary.start(stack);
            long loadStart = System.nanoTime();
            loadNotary(notary);
            loadOurs(stack);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

            String ourToken = ProductionStack.tokenOf(stack.getWithBasic("/auth/token", "admin", password).body());
            String theirToken = ProductionStack.tokenOf(stack.getWithBasic("/auth/token?service="
                    + NotaryUnderTest.SERVICE + "&scope=" + URLEncoder.encode("registry:catalog:*", StandardCharsets.UTF_8),
                    "admin", password).body());
            String ours = "http://127.0.0.1:" + stack.httpPort;
            String theirs = notary.url();
            SSLContext tls = notary.sslContext();

            // notary-server checks the token's access claim: a token per GUN, fetched before measuring
            List<String> gunTokens = new ArrayList<>();
            for (int g = 0; g < guns; g++) {
                gunTokens.add(ProductionStack.tokenOf(stack.getWithBasic("/auth/token?service=" + NotaryUnderTest.SERVICE
                        + "&scope=" + URLEncoder.encode("repository:" + gun(g) + ":pull", StandardCharsets.UTF_8),
                        "admin", password).body()));
            }
            // the same requests for both: notary IDs start at 1, ours at 2
            Map<String, Result> results = new java.util.LinkedHashMap<>();
            for (String round : List.of("warm-up", "measured")) {
                int duration = round.equals("warm-up") ? Math.max(5, seconds / 3) : seconds;
                results.put(round + " notary-server, global", run(theirs, tls, duration,
                        (r, c) -> new Call("/v2/_trust/changefeed?records=100&change_id=" + c, theirToken)));
                results.put(round + " Registry Audit, global", run(ours, tls, duration,
                        (r, c) -> new Call("/v2/_trust/changefeed?records=100&change_id=" + (c + 1), ourToken)));
                results.put(round + " notary-server, per GUN", run(theirs, tls, duration, (r, c) -> {
                    int g = r.nextInt(guns);
                    return new Call("/v2/" + gun(g) + "/_trust/changefeed?records=100&change_id=" + c, gunTokens.get(g));
                }));
                results.put(round + " Registry Audit, per GUN", run(ours, tls, duration, (r, c) -> new Call("/v2/"
                        + gun(r.nextInt(guns)) + "/_trust/changefeed?records=100&change_id=" + (c + 1), ourToken)));
            }
            System.out.printf("%n## Changefeed benchmark, %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            System.out.printf("machine: %d cores, Java %s; %,d changes over %,d GUNs, loaded in %.0f s; %d clients, "
                    + "%d s per measurement%n%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), changes, guns, loadSeconds, clients, seconds);
            System.out.println("| server, feed | requests | requests/s | p50 ms | p99 ms |");
            System.out.println("|---|---|---|---|---|");
            results.forEach((name, r) -> {
                if (name.startsWith("measured")) {
                    System.out.printf("| %s | %,d | %,.0f | %.2f | %.2f |%n", name.substring(9), r.requests(),
                            r.perSecond(), r.p50(), r.p99());
                }
            });
            Result ng = results.get("measured notary-server, global");
            Result og = results.get("measured Registry Audit, global");
            Result np = results.get("measured notary-server, per GUN");
            Result op = results.get("measured Registry Audit, per GUN");
            System.out.printf("%nratio (ours / notary-server, requests/s): global %.2f, per GUN %.2f%n%n",
                    og.perSecond() / ng.perSecond(), op.perSecond() / np.perSecond());
        }
    }

    private String gun(int g) {
        return "registry.example.com/bench/g" + g;
    }

    /** One request: the path and query, and the token to send. */
    record Call(String path, String token) {
    }

    interface Calls {
        Call next(ThreadLocalRandom random, long cursor);
    }

    private Result run(String base, SSLContext tls, int duration, Calls calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + duration * 1_000_000_000L;
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).build();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long[] latencies = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length) {
                    Call call = calls.next(random, random.nextLong(changes - 100L));
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + call.path()))
                            .header("Authorization", "Bearer " + call.token()).build(),
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
        return new Result(sorted.length, sorted.length / (double) duration, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    private void loadNotary(NotaryUnderTest notary) throws Exception {
        try (Connection c = notary.jdbc(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO changefeed (created_at, gun, version, sha256, category) "
                    + "SELECT timestamp '2026-01-01' + g * interval '1 second', "
                    + "'registry.example.com/bench/g' || (g % " + guns + "), g / " + guns + " + 1, "
                    + "md5(g::text) || md5((g + 1)::text), 'update' FROM generate_series(0, " + (changes - 1) + ") g");
            s.execute("ANALYZE changefeed");
        }
    }

    private void loadOurs(ProductionStack stack) throws Exception {
        try (Connection c = stack.jdbc(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO TrustChanges (Id, EventId, FeedAt, CreatedAt, ReceivedAt, GUN, Version, SHA256, "
                    + "Category, Source) SELECT g + 2, 'bench-' || g, timestamptz '2026-01-01Z' + g * interval '1 second', "
                    + "timestamptz '2026-01-01Z' + g * interval '1 second', timestamptz '2026-01-01Z' + g * interval '1 second', "
                    + "'registry.example.com/bench/g' || (g % " + guns + "), g / " + guns + " + 1, "
                    + "md5(g::text) || md5((g + 1)::text), 'update', 'bench' FROM generate_series(0, " + (changes - 1) + ") g");
            s.execute("UPDATE FeedPositions SET LastId = " + (changes + 1) + ", LastAt = timestamptz '2026-01-01Z' + "
                    + (changes - 1) + " * interval '1 second' WHERE Name = 'changefeed'");
            s.execute("ANALYZE TrustChanges");
        }
    }
}
