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

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.registryaudit.events.control.Visibility;
import org.registryaudit.query.entity.QueryResult;

/**
 * Query translation against hand-written SQL for the same result, in one run, on PostgreSQL
 * (127.0.0.1:5432, a database of its own) with {@code bench.events} repository events (default
 * 10,000,000) over 30 days: each query runs {@code bench.runs} times (default 30, after 5 warm-up
 * runs), translated and hand-written alternately, and the medians are compared. Not part of the
 * suite; docs/benchmarks.md has the command and the figures.
 */
class QueryBenchmark {

    private final int events = Integer.getInteger("bench.events", 10_000_000);
    private final int runs = Integer.getInteger("bench.runs", 30);

    record Case(String name, String kusto, String sql, List<Object> params) {
    }

    @Test
    void measure() throws Exception {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        String url = "jdbc:postgresql://" + host + ":5432/registry_audit_query_bench";
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/postgres", user, "");
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS registry_audit_query_bench WITH (FORCE)");
            s.execute("CREATE DATABASE registry_audit_query_bench");
        }
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").load().migrate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            long loadStart = System.nanoTime();
            load(c, now);
            System.out.printf(Locale.ROOT, "loaded %,d events in %.1f s%n", events, (System.nanoTime() - loadStart) / 1e9);
            List<Case> cases = List.of(
                    new Case("last day, count by repository",
                            "ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1d) | summarize count() by Repository",
                            "SELECT Repository, COUNT(*) FROM ContainerRegistryRepositoryEvents WHERE TimeGenerated > ?"
                                    + " GROUP BY Repository",
                            List.of(now.minus(1, ChronoUnit.DAYS))),
                    new Case("filtered 100-row page",
                            "ContainerRegistryRepositoryEvents | where Repository == \"team7/app0\" and OperationName == \"Push\""
                                    + " | top 100 by TimeGenerated | project TimeGenerated, Repository, Tag, Digest, Identity, ResultType",
                            "SELECT TimeGenerated, Repository, Tag, Digest, Identity, ResultType"
                                    + " FROM ContainerRegistryRepositoryEvents WHERE Repository = ? AND OperationName = ?"
                                    + " ORDER BY TimeGenerated DESC LIMIT 100",
                            List.of("team7/app0", "Push")));
            System.out.println("| query | rows | hand-written SQL median / p95 | translated median / p95 | ratio of medians |");
            System.out.println("|---|---|---|---|---|");
            for (Case k : cases) {
                KqlTranslator.Translation t = KqlTranslator.translate(k.kusto(), Visibility.EVERYTHING,
                        SqlDialect.POSTGRESQL, now);
                long[] hand = new long[runs];
                long[] translated = new long[runs];
                int handRows = 0;
                int translatedRows = 0;
                for (int i = -5; i < runs; i++) {
                    long start = System.nanoTime();
                    handRows = handWritten(c, k);
                    long middle = System.nanoTime();
                    QueryResult result = QueryRunner.execute(c, t, 100_000, 60);
                    long end = System.nanoTime();
                    translatedRows = result.tables().get(0).rows().size();
                    if (i >= 0) {
                        hand[i] = middle - start;
                        translated[i] = end - middle;
                    }
                }
                assertEquals(handRows, translatedRows, k.name());
                Arrays.sort(hand);
                Arrays.sort(translated);
                System.out.printf(Locale.ROOT, "| %s | %d | %.2f / %.2f ms | %.2f / %.2f ms | %.2f |%n", k.name(), handRows,
                        ms(hand[runs / 2]), ms(hand[runs * 95 / 100]), ms(translated[runs / 2]),
                        ms(translated[runs * 95 / 100]), (double) translated[runs / 2] / hand[runs / 2]);
                explain(c, t);
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
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

    private void load(Connection c, Instant now) throws SQLException {
        try (Statement s = c.createStatement()) {
            double step = 30 * 86_400.0 / events;
            s.execute("INSERT INTO ContainerRegistryRepositoryEvents (Id, EventId, TimeGenerated, ReceivedAt, LoginServer, "
                    + "OperationName, Repository, Tag, Digest, MediaType, Size, Identity, ResultType, ResultDescription, "
                    + "CallerIpAddress, UserAgent, HttpMethod, DurationMs, Region) SELECT g, 'bench-' || g, "
                    + "TIMESTAMPTZ '" + now + "' - interval '30 days' + (g * " + step + ") * interval '1 second', "
                    + "TIMESTAMPTZ '" + now + "', 'registry.example.com', CASE WHEN g % 3 = 0 THEN 'Push' ELSE 'Pull' END, "
                    + "'team' || (g % 50) || '/app' || (g % 7), 'v1.' || (g % 1000), 'sha256:' || md5(g::text), "
                    + "'application/vnd.oci.image.manifest.v1+json', 1000 + g % 100000, 'user' || (g % 200), "
                    + "CASE WHEN g % 3 = 0 THEN '201' ELSE '200' END, 'OK', '10.0.' || (g % 250) || '.' || (g % 199), "
                    + "'containerd/1.7.13', CASE WHEN g % 3 = 0 THEN 'PUT' ELSE 'GET' END, g % 500, 'westeurope' "
                    + "FROM generate_series(1, " + events + ") g");
            s.execute("VACUUM ANALYZE ContainerRegistryRepositoryEvents");
        }
    }
}
