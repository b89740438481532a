package org.registryaudit.query.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.query.entity.QueryResult;

/**
 * Query translation against hand-written SQL for the same result, in one run, on PostgreSQL
 * (127.0.0.1:5432, a database of its own) with {@code bench.events} repository events (default
 * 10,000,000) and a twentieth as many login events over 30 days: each query runs {@code bench.runs} times (default 30; the page query 20
 * times as often), after 5 warm-up runs, translated and hand-written alternately, and the medians
 * are compared.
 * {@code bench.reuse=true} keeps the data of the previous run instead of loading it again (8
 * minutes). Not part of the suite; docs/benchmarks.md has the command and the figures.
 */
class QueryBenchmark {

    private final int events = Integer.getInteger("bench.events", 10_000_000);
    private final int runs = Integer.getInteger("bench.runs", 30);

    /** runs: how often each side runs, after warmUp runs; the page query is sub-millisecond, so it runs more. */
    record Case(String name, String kusto, String sql, List<Object> params, int runs, int warmUp) {}

    @Test
    void measure() throws Exception {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        String url = "jdbc:postgresql://" + host + ":5432/registry_audit_query_bench";
        boolean reuse = Boolean.getBoolean("bench.reuse");
        if (!reuse) {
            try (Connection admin =
                            DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/postgres", user, "");
                    Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS registry_audit_query_bench WITH (FORCE)");
                s.execute("CREATE DATABASE registry_audit_query_bench");
            }
        }
        Flyway.configure()
                .dataSource(url, user, "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            if (reuse) {
                now = loadedUntil(c);
            } else {
                long loadStart = System.nanoTime();
                load(c, now);
                System.out.printf(
                        Locale.ROOT, "loaded %,d events in %.1f s%n", events, (System.nanoTime() - loadStart) / 1e9);
            }
            List<Case> cases = List.of(
                    new Case(
                            "last day, count by repository",
                            "ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1d) | summarize count() by Repository",
                            "SELECT Repository, COUNT(*) FROM ContainerRegistryRepositoryEvents WHERE TimeGenerated > ?"
                                    + " GROUP BY Repository",
                            List.of(now.minus(1, ChronoUnit.DAYS)),
                            runs,
                            5),
                    new Case(
                            "filtered 100-row page",
                            "ContainerRegistryRepositoryEvents | where Repository == \"team7/app0\" and OperationName == \"Push\""
                                    + " | top 100 by TimeGenerated | project TimeGenerated, Repository, Tag, Digest, Identity,"
                                    + " ResultType",
                            "SELECT TimeGenerated, Repository, Tag, Digest, Identity, ResultType"
                                    + " FROM ContainerRegistryRepositoryEvents WHERE Repository = ? AND OperationName = ?"
                                    + " ORDER BY TimeGenerated DESC LIMIT 100",
                            List.of("team7/app0", "Push"),
                            runs * 20,
                            1000),
                    new Case(
                            "failed logins, then a push by the same identity within the hour (join)",
                            "ContainerRegistryLoginEvents | where ResultType == \"401\" and TimeGenerated > ago(7d)"
                                    + " | project Identity, FailedAt = TimeGenerated"
                                    + " | join kind=inner (ContainerRegistryRepositoryEvents | where OperationName == \"Push\""
                                    + " | project Identity, PushedAt = TimeGenerated) on Identity"
                                    + " | where PushedAt > FailedAt and PushedAt < FailedAt + 1h"
                                    + " | summarize Pushes = count() by Identity",
                            "SELECT l.Identity, COUNT(*) FROM ContainerRegistryLoginEvents l"
                                    + " JOIN ContainerRegistryRepositoryEvents e ON e.Identity = l.Identity"
                                    + " WHERE l.ResultType = '401' AND l.TimeGenerated > ? AND e.OperationName = 'Push'"
                                    + " AND e.TimeGenerated > l.TimeGenerated"
                                    + " AND e.TimeGenerated < l.TimeGenerated + interval '1 hour' GROUP BY l.Identity",
                            List.of(now.minus(7, ChronoUnit.DAYS)),
                            Math.max(3, runs / 3),
                            2));
            QueryDeadlines deadlines = new QueryDeadlines(60);
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor();
            sweeper.scheduleWithFixedDelay(deadlines::sweep, 1, 1, TimeUnit.SECONDS);
            System.out.println(
                    "| query | rows | hand-written SQL | translated SQL, read the same way | translated, through"
                            + " QueryRunner | ratio (QueryRunner / hand-written) |");
            System.out.println("|---|---|---|---|---|---|");
            for (Case k : cases) {
                KqlTranslator.Translation t =
                        KqlTranslator.translate(k.kusto(), Visibility.EVERYTHING, SqlDialect.POSTGRESQL, now);
                KqlTranslator.Translation limited = t.limitedTo(100_001);
                Case translatedSql =
                        new Case(k.name(), k.kusto(), limited.sql(), limited.params(), k.runs(), k.warmUp());
                int runs = k.runs();
                long[] hand = new long[runs];
                long[] sql = new long[runs];
                long[] runner = new long[runs];
                int handRows = 0;
                int translatedRows = 0;
                for (int i = -k.warmUp(); i < runs; i++) {
                    long start = System.nanoTime();
                    handRows = handWritten(c, k);
                    long second = System.nanoTime();
                    handWritten(c, translatedSql);
                    long third = System.nanoTime();
                    QueryResult result = QueryRunner.execute(c, t, 100_000, deadlines);
                    long end = System.nanoTime();
                    translatedRows = result.tables().get(0).rows().size();
                    if (i >= 0) {
                        hand[i] = second - start;
                        sql[i] = third - second;
                        runner[i] = end - third;
                    }
                }
                assertEquals(handRows, translatedRows, k.name());
                Arrays.sort(hand);
                Arrays.sort(sql);
                Arrays.sort(runner);
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %s | %s | %s | %.2f |%n",
                        k.name(),
                        handRows,
                        figures(hand),
                        figures(sql),
                        figures(runner),
                        (double) runner[runs / 2] / hand[runs / 2]);
                explain(c, t);
            }
            sweeper.shutdownNow();
        }
    }

    /** Median and 95th percentile of sorted times. */
    private static String figures(long[] sorted) {
        return String.format(
                Locale.ROOT, "%.2f / %.2f ms", sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 95 / 100] / 1e6);
    }

    private static int handWritten(Connection c, Case k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(k.sql())) {
            QueryRunner.bind(ps, k.params());
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        rs.getObject(i);
                    }
                    rows++;
                }
            }
            return rows;
        }
    }

    private static void explain(Connection c, KqlTranslator.Translation t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + t.sql())) {
            QueryRunner.bind(ps, t.params());
            List<String> plan = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
            System.out.println("plan of the translation:\n  " + String.join("\n  ", plan));
        }
    }

    /** With bench.reuse=true, the data of an earlier run; "now" is then the time that run loaded up to. */
    private static Instant loadedUntil(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT MAX(ReceivedAt), COUNT(*) FROM ContainerRegistryRepositoryEvents")) {
            rs.next();
            System.out.printf(Locale.ROOT, "reusing %,d events%n", rs.getLong(2));
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    private void load(Connection c, Instant now) throws SQLException {
        try (Statement s = c.createStatement()) {
            double step = 30 * 86_400.0 / events;
            s.execute(
                    "INSERT INTO ContainerRegistryRepositoryEvents (Id, EventId, TimeGenerated, ReceivedAt, LoginServer, "
                            + "OperationName, Repository, Tag, Digest, MediaType, Size, Identity, ResultType, ResultDescription, "
                            + "CallerIpAddress, UserAgent, HttpMethod, DurationMs, Region) SELECT g, 'bench-' || g, "
                            + "TIMESTAMPTZ '" + now + "' - interval '30 days' + (g * " + step
                            + ") * interval '1 second', "
                            + "TIMESTAMPTZ '" + now
                            + "', 'registry.example.com', CASE WHEN g % 3 = 0 THEN 'Push' ELSE 'Pull' END, "
                            + "'team' || (g % 50) || '/app' || (g % 7), 'v1.' || (g % 1000), 'sha256:' || md5(g::text), "
                            + "'application/vnd.oci.image.manifest.v1+json', 1000 + g % 100000, 'user' || (g % 200), "
                            + "CASE WHEN g % 3 = 0 THEN '201' ELSE '200' END, 'OK', '10.0.' || (g % 250) || '.' || (g % 199), "
                            + "'containerd/1.7.13', CASE WHEN g % 3 = 0 THEN 'PUT' ELSE 'GET' END, g % 500, 'westeurope' "
                            + "FROM generate_series(1, " + events + ") g");
            // a login event for every 20 repository events, by the same 200 users; every 20th refused
            int logins = events / 20;
            double loginStep = 30 * 86_400.0 / logins;
            s.execute("INSERT INTO ContainerRegistryLoginEvents (Id, EventId, TimeGenerated, ReceivedAt, LoginServer, "
                    + "OperationName, Identity, ResultType, ResultDescription, CallerIpAddress, UserAgent, DurationMs) "
                    + "SELECT g, 'bench-login-' || g, TIMESTAMPTZ '" + now + "' - interval '30 days' + (g * "
                    + loginStep + ") * interval '1 second', TIMESTAMPTZ '" + now + "', 'registry.example.com', "
                    + "'Login', 'user' || (g % 200), CASE WHEN g % 20 = 0 THEN '401' ELSE '200' END, "
                    + "CASE WHEN g % 20 = 0 THEN '401: wrong user name or password' ELSE '200' END, "
                    + "'10.0.' || (g % 250) || '.' || (g % 199), 'docker/27.0', g % 100 "
                    + "FROM generate_series(1, " + logins + ") g");
            s.execute("VACUUM ANALYZE ContainerRegistryRepositoryEvents");
            s.execute("VACUUM ANALYZE ContainerRegistryLoginEvents");
        }
    }
}
