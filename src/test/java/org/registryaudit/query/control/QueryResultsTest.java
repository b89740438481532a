package org.registryaudit.query.control;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.registryaudit.auth.control.AccessRules;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.metrics.control.MetricTally;
import org.registryaudit.metrics.entity.MetricKey;
import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.problems.boundary.InvalidRequestException;
import org.registryaudit.query.entity.QueryResult;

/**
 * Query results checked against the same answers computed in Java over the same generated data, on
 * the embedded H2 (the version Payara Micro ships) and on PostgreSQL (127.0.0.1:5432, a database of
 * its own), both migrated by the application's Flyway scripts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryResultsTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    /** The time limit, enforced only where a test sweeps. */
    static final QueryDeadlines DEADLINES = new QueryDeadlines(30);
    /** alice's view with pull on team-a/*, where registry.example.com is the one registry host. */
    static final Visibility TEAM_A = new Visibility(List.of("team-a/*", "registry.example.com/team-a/*"), "alice");

    static final List<String> REPOSITORIES =
            List.of("team-a/api", "team-a/web", "team-b/db", "library/nginx", "library/alpine");
    static final List<String> GUNS = List.of(
            "registry.example.com/team-a/api", "team-a/web", "team-b/db", "evil/team-a/api", "acme.corp/team-a/web");

    record Database(String name, SqlDialect dialect, Connection connection) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Trust(long id, Instant createdAt, String gun, long version, String category) {}

    final List<RepositoryEventRecord> events = new ArrayList<>();
    final List<LoginEventRecord> logins = new ArrayList<>();
    final List<Trust> trust = new ArrayList<>();
    final List<Database> databases = new ArrayList<>();

    @BeforeAll
    void load() throws SQLException {
        generate(new Random(42));
        databases.add(open());
    }

    /** The database the tests run on: H2 here, in memory; PostgreSQL in {@link QueryResultsPostgresIT}. */
    Database open() throws SQLException {
        Connection h2 = DriverManager.getConnection("jdbc:h2:mem:query-test;DB_CLOSE_DELAY=-1", "sa", "");
        return new Database("H2", SqlDialect.H2, prepare(h2, "jdbc:h2:mem:query-test;DB_CLOSE_DELAY=-1", "sa"));
    }

    @AfterAll
    void close() throws SQLException {
        for (Database db : databases) {
            db.connection().close();
        }
    }

    Stream<Database> databases() {
        return databases.stream();
    }

    private void generate(Random random) {
        String[] operations = {"Push", "Pull", "Pull", "Pull", "PushBlob", "Delete", "Untag"};
        String[] identities = {"alice", "bob", "ci-bot", null};
        String[] results = {"200", "200", "200", "401", "404"};
        for (int i = 0; i < 3000; i++) {
            Instant time = NOW.minus(Duration.ofSeconds(i * 86L)).minus(i, ChronoUnit.MICROS);
            String op = operations[random.nextInt(operations.length)];
            String repo = REPOSITORIES.get(random.nextInt(REPOSITORIES.size()));
            String tag = random.nextInt(3) == 0 ? null : "v" + random.nextInt(5);
            String mediaType = op.equals("Pull") && random.nextBoolean()
                    ? "application/octet-stream"
                    : "application/vnd.oci.image.manifest.v1+json";
            events.add(new RepositoryEventRecord(
                    "re-" + i,
                    time,
                    time,
                    "reg" + random.nextInt(2) + ".example.com",
                    op,
                    repo,
                    tag,
                    "sha256:" + i,
                    mediaType,
                    null,
                    random.nextInt(4) == 0 ? null : (long) random.nextInt(100_000),
                    null,
                    identities[random.nextInt(identities.length)],
                    results[random.nextInt(results.length)],
                    null,
                    "10.0.0." + random.nextInt(9),
                    "docker/27.0 (linux)",
                    "GET",
                    (long) random.nextInt(500),
                    null,
                    random.nextBoolean() ? "eu-west" : null,
                    null));
        }
        for (int i = 0; i < 800; i++) {
            Instant time = NOW.minus(Duration.ofSeconds(i * 311L)).minus(i + 7, ChronoUnit.MICROS);
            String result = results[random.nextInt(results.length)];
            logins.add(new LoginEventRecord(
                    "le-" + i,
                    time,
                    time,
                    "reg" + random.nextInt(2) + ".example.com",
                    "Login",
                    identities[random.nextInt(identities.length - 1)],
                    null,
                    result,
                    i % 10 == 0 ? null : result,
                    "203.0.113." + random.nextInt(5),
                    "docker/27.0",
                    (long) random.nextInt(100),
                    null,
                    null,
                    null));
        }
        for (int i = 0; i < 60; i++) {
            trust.add(new Trust(
                    i + 2,
                    NOW.minus(Duration.ofMinutes(i * 37L)),
                    GUNS.get(i % GUNS.size()),
                    i / 5 + 1,
                    i % 7 == 0 ? "deletion" : "update"));
        }
    }

    Connection prepare(Connection c, String url, String user) throws SQLException {
        Flyway.configure()
                .dataSource(url, user, "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ContainerRegistryRepositoryEvents (Id, EventId,"
                + " TimeGenerated, ReceivedAt, LoginServer, OperationName, Repository, Tag, Digest, MediaType, Size,"
                + " Identity, ResultType, CallerIpAddress, UserAgent, HttpMethod, DurationMs, Region)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long id = 1;
            for (RepositoryEventRecord e : events) {
                Object[] values = {
                    id++,
                    e.eventId(),
                    time(e.timeGenerated()),
                    time(e.receivedAt()),
                    e.loginServer(),
                    e.operationName(),
                    e.repository(),
                    e.tag(),
                    e.digest(),
                    e.mediaType(),
                    e.size(),
                    e.identity(),
                    e.resultType(),
                    e.callerIpAddress(),
                    e.userAgent(),
                    e.httpMethod(),
                    e.durationMs(),
                    e.region()
                };
                insert(ps, values);
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ContainerRegistryLoginEvents (Id, EventId,"
                + " TimeGenerated, ReceivedAt, LoginServer, OperationName, Identity, ResultType, ResultDescription,"
                + " CallerIpAddress, UserAgent, DurationMs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long id = 1;
            for (LoginEventRecord e : logins) {
                insert(ps, new Object[] {
                    id++,
                    e.eventId(),
                    time(e.timeGenerated()),
                    time(e.receivedAt()),
                    e.loginServer(),
                    e.operationName(),
                    e.identity(),
                    e.resultType(),
                    e.resultDescription(),
                    e.callerIpAddress(),
                    e.userAgent(),
                    e.durationMs()
                });
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO TrustChanges (Id, EventId, FeedAt, CreatedAt,"
                + " ReceivedAt, GUN, Version, SHA256, Category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Trust t : trust) {
                insert(ps, new Object[] {
                    t.id(),
                    "tc-" + t.id(),
                    time(t.createdAt()),
                    time(t.createdAt()),
                    time(t.createdAt()),
                    t.gun(),
                    (int) t.version(),
                    "ab" + t.id(),
                    t.category()
                });
            }
            ps.executeBatch();
        }
        // Counted as the store counts them, and in two halves, so that keys have several rows to sum.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO MetricCounts (Id, LoginServer, Repository,"
                + " MetricName, TimeGenerated, Total) VALUES (?, ?, ?, ?, ?, ?)")) {
            long id = 1;
            int half = events.size() / 2;
            for (Map<MetricKey, Long> counts : List.of(
                    MetricTally.of(events.subList(0, half), logins),
                    MetricTally.of(events.subList(half, events.size()), List.of()))) {
                for (Map.Entry<MetricKey, Long> count : counts.entrySet()) {
                    MetricKey k = count.getKey();
                    insert(ps, new Object[] {
                        id++, k.loginServer(), k.repository(), k.metric().name(), time(k.minute()), count.getValue()
                    });
                }
            }
            ps.executeBatch();
        }
        return c;
    }

    private static OffsetDateTime time(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static void insert(PreparedStatement ps, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        ps.addBatch();
    }

    static QueryResult.Table run(Database db, String query, Visibility visibility) {
        try {
            return QueryRunner.execute(
                            db.connection(),
                            KqlTranslator.translate(query, visibility, db.dialect(), NOW),
                            100_000,
                            DEADLINES)
                    .tables()
                    .get(0);
        } catch (SQLException e) {
            throw new AssertionError(db + ": " + query + " failed: " + e.getMessage(), e);
        }
    }

    static QueryResult.Table run(Database db, String query) {
        return run(db, query, Visibility.EVERYTHING);
    }

    /** The rows as column name → value maps. */
    static List<Map<String, Object>> rows(QueryResult.Table table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Object> row : table.rows()) {
            Map<String, Object> named = new HashMap<>();
            for (int i = 0; i < row.size(); i++) {
                named.put(table.columns().get(i).name(), row.get(i));
            }
            rows.add(named);
        }
        return rows;
    }

    static <K> Map<K, Long> toMap(QueryResult.Table table, String key, String value) {
        Map<K, Long> map = new TreeMap<>();
        for (Map<String, Object> row : rows(table)) {
            @SuppressWarnings("unchecked")
            K k = (K) row.get(key);
            map.put(k, ((Number) row.get(value)).longValue());
        }
        return map;
    }

    private List<RepositoryEventRecord> events(Predicate<RepositoryEventRecord> p) {
        return events.stream().filter(p).toList();
    }

    /**
     * The Log Analytics API's bounds (a timespan and a workspace's login servers) hold under every
     * table of a union, beside the caller's access rules, as the same filter in Java computes.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void boundsHoldUnderEveryTableOfAUnion(Database db) throws SQLException {
        String server = events.get(0).loginServer();
        QueryBounds bounds = QueryBounds.timespan("PT6H", NOW).within(java.util.Set.of(server));
        QueryResult.Table t = QueryRunner.execute(
                        db.connection(),
                        KqlTranslator.translate(
                                "ContainerRegistryRepositoryEvents | union ContainerRegistryLoginEvents"
                                        + " | project EventId, TimeGenerated, LoginServer",
                                TEAM_A,
                                bounds,
                                db.dialect(),
                                NOW),
                        100_000,
                        DEADLINES)
                .tables()
                .get(0);
        Instant from = NOW.minus(Duration.ofHours(6));
        List<String> expected = Stream.concat(
                        events(e -> !e.timeGenerated().isBefore(from)
                                        && e.timeGenerated().isBefore(NOW)
                                        && e.loginServer().equals(server)
                                        && TEAM_A.repositoryPatterns().stream()
                                                .anyMatch(p -> e.repository().matches(p.replace("*", ".*"))))
                                .stream()
                                .map(RepositoryEventRecord::eventId),
                        logins.stream()
                                .filter(l -> !l.timeGenerated().isBefore(from)
                                        && l.timeGenerated().isBefore(NOW)
                                        && l.loginServer().equals(server)
                                        && l.identity().equals("alice"))
                                .map(LoginEventRecord::eventId))
                .sorted()
                .toList();
        assertEquals(
                expected,
                rows(t).stream().map(r -> (String) r.get("EventId")).sorted().toList());
        assertTrue(!expected.isEmpty(), "the window holds rows to check");
    }

    /** iff() and case() pick the first condition that holds (a missing value holds none), as Java does. */
    @ParameterizedTest
    @MethodSource("databases")
    void iffAndCaseChooseTheFirstConditionThatHolds(Database db) {
        QueryResult.Table t = run(
                db,
                "ContainerRegistryRepositoryEvents | extend Band = case(Size > 50000, \"big\", Size > 1000, \"medium\","
                        + " \"small or none\"), Half = iff(OperationName == \"Pull\", 0.5, 1)"
                        + " | summarize n = count(), h = sum(Half) by Band | sort by Band asc");
        Map<String, Long> expected = events.stream()
                .collect(groupingBy(
                        e -> e.size() == null
                                ? "small or none"
                                : e.size() > 50000 ? "big" : e.size() > 1000 ? "medium" : "small or none",
                        java.util.TreeMap::new,
                        counting()));
        assertEquals(
                expected.toString(),
                rows(t).stream()
                        .collect(java.util.stream.Collectors.toMap(
                                r -> (String) r.get("Band"),
                                r -> (Long) r.get("n"),
                                (a, b) -> a,
                                java.util.TreeMap::new))
                        .toString());
        double half = events.stream()
                .mapToDouble(e -> e.operationName().equals("Pull") ? 0.5 : 1)
                .sum();
        assertEquals(
                half,
                rows(t).stream()
                        .mapToDouble(r -> ((Number) r.get("h")).doubleValue())
                        .sum(),
                1e-9);
        assertEquals("real", t.columns().get(2).type());
    }

    /**
     * join, each kind, against the same join in Java: failed logins followed within the hour by a
     * push of the same identity (the issue's audit question), and the rows of each side read inside
     * the caller's access rules, so a join shows alice no more than her two reads do.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void joinsOfEachKindAgreeWithJavaAndNeverWidenTheRules(Database db) {
        for (Visibility visibility : List.of(Visibility.EVERYTHING, TEAM_A)) {
            List<RepositoryEventRecord> seenEvents = events.stream()
                    .filter(e -> visibility == Visibility.EVERYTHING
                            || e.repository().startsWith("team-a/"))
                    .toList();
            List<LoginEventRecord> seenLogins = logins.stream()
                    .filter(l ->
                            visibility == Visibility.EVERYTHING || l.identity().equals("alice"))
                    .toList();
            QueryResult.Table followed = run(
                    db,
                    "ContainerRegistryLoginEvents | where ResultType == \"401\" | project Identity, FailedAt = TimeGenerated"
                            + " | join kind=inner (ContainerRegistryRepositoryEvents | where OperationName == \"Push\""
                            + " | project Who = Identity, PushedAt = TimeGenerated) on $left.Identity == $right.Who"
                            + " | where PushedAt > FailedAt and PushedAt < FailedAt + 1h"
                            + " | summarize n = count() by Identity | sort by Identity asc",
                    visibility);
            Map<String, Long> expected = new java.util.TreeMap<>();
            for (LoginEventRecord l : seenLogins) {
                if (!l.resultType().equals("401")) {
                    continue;
                }
                for (RepositoryEventRecord e : seenEvents) {
                    if (e.operationName().equals("Push")
                            && l.identity().equals(e.identity())
                            && e.timeGenerated().isAfter(l.timeGenerated())
                            && e.timeGenerated().isBefore(l.timeGenerated().plus(Duration.ofHours(1)))) {
                        expected.merge(l.identity(), 1L, Long::sum);
                    }
                }
            }
            assertTrue(visibility != Visibility.EVERYTHING || expected.size() > 1, "pairs to find: " + expected);
            assertEquals(
                    expected.toString(),
                    rows(followed).stream()
                            .collect(java.util.stream.Collectors.toMap(
                                    r -> (String) r.get("Identity"),
                                    r -> (Long) r.get("n"),
                                    (x, y) -> x,
                                    java.util.TreeMap::new))
                            .toString(),
                    visibility.toString());

            java.util.Set<String> loginIdentities =
                    seenLogins.stream().map(LoginEventRecord::identity).collect(java.util.stream.Collectors.toSet());
            java.util.function.Function<RepositoryEventRecord, String> who =
                    e -> e.identity() == null ? "" : e.identity();
            long semi = seenEvents.stream()
                    .filter(e -> loginIdentities.contains(who.apply(e)))
                    .count();
            long matches = seenEvents.stream()
                    .mapToLong(e -> Math.max(
                            1,
                            seenLogins.stream()
                                    .filter(l -> l.identity().equals(who.apply(e)))
                                    .count()))
                    .sum();
            String both =
                    "ContainerRegistryRepositoryEvents | join kind=%s (ContainerRegistryLoginEvents) on Identity | count";
            assertEquals(semi, count(run(db, both.formatted("leftsemi"), visibility)), "leftsemi " + visibility);
            assertEquals(seenEvents.size() - semi, count(run(db, both.formatted("leftanti"), visibility)), "leftanti");
            assertEquals(matches, count(run(db, both.formatted("leftouter"), visibility)), "leftouter");
        }
        QueryResult.Table columns = run(
                db,
                "ContainerRegistryLoginEvents | take 1 | project Identity, LoginServer"
                        + " | join kind=leftouter (ContainerRegistryLoginEvents | project Identity, ResultType) on Identity");
        assertEquals(
                List.of("Identity", "LoginServer", "Identity1", "ResultType"),
                columns.columns().stream().map(QueryResult.Column::name).toList(),
                "the right's columns after the left's, a name the left has with a 1, as in Kusto");
    }

    private static long count(QueryResult.Table table) {
        return ((Number) table.rows().get(0).get(0)).longValue();
    }

    /** let: a scalar and a tabular name, used more than once and in a union, mean what they stand for. */
    @ParameterizedTest
    @MethodSource("databases")
    void letNamesScalarsAndTables(Database db) {
        long bigPushes = events.stream()
                .filter(e -> e.operationName().equals("Push") && e.size() != null && e.size() > 50000)
                .count();
        assertEquals(
                bigPushes,
                count(run(
                        db,
                        "let big = 50000;\nlet pushes = ContainerRegistryRepositoryEvents | where OperationName == \"Push\";\n"
                                + "pushes | where Size > big | count")));
        assertEquals(
                2 * bigPushes,
                count(run(
                        db,
                        "let big = 25000 * 2; let large = (ContainerRegistryRepositoryEvents | where Size > big);"
                                + " let largePushes = large | where OperationName == 'Push';"
                                + " union largePushes, largePushes | count")));
        assertEquals(
                bigPushes,
                count(run(
                        db,
                        "let pushes = ContainerRegistryRepositoryEvents | where OperationName == \"Push\";"
                                + " ContainerRegistryRepositoryEvents | where Size > 50000"
                                + " | join kind=leftsemi (pushes | project EventId) on EventId | count")),
                "a tabular let on the right of a join");
    }

    /** percentile(): the nearest-rank percentile of Java's, per group, of numbers and of datetimes. */
    @ParameterizedTest
    @MethodSource("databases")
    void percentileIsTheNearestRank(Database db) {
        Map<String, Object> r = rows(run(
                        db,
                        "ContainerRegistryRepositoryEvents | summarize p0 = percentile(Size, 0), p50 = percentile(Size, 50),"
                                + " p95 = percentile(Size, 95), p100 = percentile(Size, 100), t = percentile(TimeGenerated, 25)"))
                .get(0);
        List<Long> sizes = events.stream()
                .map(RepositoryEventRecord::size)
                .filter(java.util.Objects::nonNull)
                .sorted()
                .toList();
        List<Instant> times = events.stream()
                .map(RepositoryEventRecord::timeGenerated)
                .sorted()
                .toList();
        // PostgreSQL's PERCENTILE_DISC is the nearest rank exactly; H2's rounds its index otherwise and
        // may give the value one rank below (Kusto's own percentile is an estimate, within a rank here)
        int slack = db.dialect() == SqlDialect.H2 ? 1 : 0;
        for (String[] check : new String[][] {{"p0", "0"}, {"p50", "50"}, {"p95", "95"}, {"p100", "100"}}) {
            long p = Long.parseLong(check[1]);
            int nearest = Math.max(1, (int) ((p * sizes.size() + 99) / 100)) - 1; // ceil, exactly
            long got = ((Number) r.get(check[0])).longValue();
            assertTrue(
                    sizes.get(Math.max(0, nearest - slack)) <= got
                            && got <= sizes.get(Math.min(sizes.size() - 1, nearest + slack)),
                    check[0] + ": " + got + ", the nearest rank's value " + sizes.get(nearest));
        }
        int nearestTime = Math.max(1, (int) ((25L * times.size() + 99) / 100)) - 1;
        Instant gotTime = Instant.parse((String) r.get("t"));
        assertTrue(
                !gotTime.isBefore(times.get(Math.max(0, nearestTime - slack)))
                        && !gotTime.isAfter(times.get(nearestTime + slack)),
                "t: " + gotTime + ", the nearest rank's value " + times.get(nearestTime));
        assertEquals(
                List.of("percentile_Size_95"),
                run(db, "ContainerRegistryRepositoryEvents | summarize percentile(Size, 95)").columns().stream()
                        .map(QueryResult.Column::name)
                        .toList());
    }

    /** render: the rows of the query before it, and the visualization passed through with them. */
    @ParameterizedTest
    @MethodSource("databases")
    void renderPassesTheVisualizationThrough(Database db) throws SQLException {
        String query = "ContainerRegistryRepositoryEvents | summarize count() by bin(TimeGenerated, 1h)";
        QueryResult plain = QueryRunner.execute(
                db.connection(),
                KqlTranslator.translate(query, Visibility.EVERYTHING, db.dialect(), NOW),
                100_000,
                DEADLINES);
        QueryResult rendered = QueryRunner.execute(
                db.connection(),
                KqlTranslator.translate(query + " | render timechart", Visibility.EVERYTHING, db.dialect(), NOW),
                100_000,
                DEADLINES);
        assertEquals(plain.tables(), rendered.tables());
        assertEquals(null, plain.render());
        assertEquals("timechart", rendered.render().visualization());
    }

    /** tostring, tolong and todouble as Java converts; a string that is no number gives a missing value. */
    @ParameterizedTest
    @MethodSource("databases")
    void conversionsAgreeWithJava(Database db) {
        Map<String, Object> r = rows(run(
                        db,
                        "ContainerRegistryRepositoryEvents | extend Code = tolong(ResultType), Real = todouble(ResultType),"
                                + " NoNumber = tolong(Repository), Text = tostring(Size), Flag = tostring(Size > 50000),"
                                + " Cut = tolong(2.9 * Size), One = toint(Size > 50000)"
                                + " | summarize Codes = sum(Code), Reals = sum(Real), NoNumbers = countif(isnotnull(NoNumber)),"
                                + " Texts = countif(Text == \"1000\"), Flags = countif(Flag == \"true\"), Cuts = sum(Cut),"
                                + " Ones = sum(One), Missing = countif(isnull(One))"))
                .get(0);
        long codes =
                events.stream().mapToLong(e -> Long.parseLong(e.resultType())).sum();
        assertEquals(codes, r.get("Codes"));
        assertEquals((double) codes, ((Number) r.get("Reals")).doubleValue(), 1e-6);
        assertEquals(0L, r.get("NoNumbers"));
        assertEquals(
                events.stream().filter(e -> Long.valueOf(1000).equals(e.size())).count(), r.get("Texts"));
        long big = events.stream()
                .filter(e -> e.size() != null && e.size() > 50000)
                .count();
        assertEquals(big, r.get("Flags"));
        assertEquals(big, r.get("Ones"));
        assertEquals(events.stream().filter(e -> e.size() == null).count(), r.get("Missing"));
        assertEquals(
                events.stream()
                        .filter(e -> e.size() != null)
                        .mapToLong(e -> (long) (2.9 * e.size()))
                        .sum(),
                r.get("Cuts"),
                "a real cut to a whole number, not rounded");
    }

    /** extract(): the group of the first match, as java.util.regex finds it; none where it does not match. */
    @ParameterizedTest
    @MethodSource("databases")
    void extractTakesTheGroupOfTheFirstMatch(Database db) {
        QueryResult.Table t = run(
                db,
                "ContainerRegistryRepositoryEvents | extend Host = extract(\"10\\\\.0\\\\.0\\\\.([0-9]+)\", 1, CallerIpAddress),"
                        + " Whole = extract(\"[a-z]+/[0-9.]+\", 0, UserAgent), None = extract(\"^v([0-9])$\", 1, Tag)"
                        + " | summarize n = count(), w = dcount(Whole), none = countif(isnotempty(None)) by Host"
                        + " | sort by Host asc");
        java.util.regex.Pattern host = java.util.regex.Pattern.compile("10\\.0\\.0\\.([0-9]+)");
        Map<String, Long> expected = events.stream()
                .collect(groupingBy(
                        e -> {
                            java.util.regex.Matcher m = host.matcher(e.callerIpAddress());
                            return m.find() ? m.group(1) : "";
                        },
                        java.util.TreeMap::new,
                        counting()));
        Map<String, Long> got = new java.util.TreeMap<>();
        long tags = 0;
        for (Map<String, Object> row : rows(t)) {
            got.put((String) row.get("Host"), (Long) row.get("n"));
            assertEquals(1L, row.get("w"), "docker/27.0 from every user agent");
            tags += (Long) row.get("none");
        }
        assertEquals(expected, got);
        assertEquals(
                events.stream()
                        .filter(e -> e.tag() != null && e.tag().matches("v[0-9]"))
                        .count(),
                tags);
    }

    /** arg_max/arg_min: per group, the row of the latest (earliest) event, all or some of its columns, as Java finds it. */
    @ParameterizedTest
    @MethodSource("databases")
    void argMaxAndArgMinKeepTheRowOfTheExtreme(Database db) {
        for (Visibility visibility : List.of(Visibility.EVERYTHING, TEAM_A)) {
            List<RepositoryEventRecord> seen = events.stream()
                    .filter(e -> visibility == Visibility.EVERYTHING
                            || e.repository().startsWith("team-a/"))
                    .toList();
            QueryResult.Table latest = run(
                    db,
                    "ContainerRegistryRepositoryEvents | summarize arg_max(TimeGenerated, *) by Repository",
                    visibility);
            Map<String, String> expected = new java.util.TreeMap<>();
            seen.stream()
                    .collect(groupingBy(RepositoryEventRecord::repository))
                    .forEach((repository, rows) -> expected.put(
                            repository,
                            rows.stream()
                                    .max(Comparator.comparing(RepositoryEventRecord::timeGenerated))
                                    .orElseThrow()
                                    .eventId()));
            Map<String, String> got = new java.util.TreeMap<>();
            rows(latest).forEach(r -> got.put((String) r.get("Repository"), (String) r.get("EventId")));
            assertEquals(expected, got, visibility.toString());
            List<String> names =
                    latest.columns().stream().map(QueryResult.Column::name).toList();
            assertEquals(List.of("Repository", "TimeGenerated"), names.subList(0, 2), names.toString());
            assertTrue(
                    names.contains("Identity") && names.stream().distinct().count() == names.size(), names.toString());

            QueryResult.Table first = run(
                    db,
                    "ContainerRegistryRepositoryEvents | summarize First = arg_min(TimeGenerated, EventId) by OperationName",
                    visibility);
            Map<String, String> firsts = new java.util.TreeMap<>();
            seen.stream()
                    .collect(groupingBy(RepositoryEventRecord::operationName))
                    .forEach((operation, rows) -> firsts.put(
                            operation,
                            rows.stream()
                                    .min(Comparator.comparing(RepositoryEventRecord::timeGenerated))
                                    .orElseThrow()
                                    .eventId()));
            Map<String, String> gotFirsts = new java.util.TreeMap<>();
            rows(first).forEach(r -> gotFirsts.put((String) r.get("OperationName"), (String) r.get("EventId")));
            assertEquals(firsts, gotFirsts);
            assertEquals(
                    List.of("OperationName", "First", "EventId"),
                    first.columns().stream().map(QueryResult.Column::name).toList());
        }
    }

    /** format_datetime() in UTC as Java's DateTimeFormatter writes the same parts. */
    @ParameterizedTest
    @MethodSource("databases")
    void formatDatetimeWritesKustosParts(Database db) {
        Map<String, String> formats = Map.of(
                "F", "yyyy-MM-dd HH:mm:ss.ffffff",
                "G", "d/M/yy h:m:s tt",
                "H", "[HH]_fff, yy");
        Map<String, String> javaFormats = Map.of(
                "F", "yyyy-MM-dd HH:mm:ss.SSSSSS",
                "G", "d/M/yy h:m:s a",
                "H", "'['HH']_'SSS', 'yy");
        StringBuilder query = new StringBuilder("ContainerRegistryRepositoryEvents | take 200 | project EventId");
        formats.forEach((column, format) -> query.append(", ")
                .append(column)
                .append(" = format_datetime(TimeGenerated, '")
                .append(format)
                .append("')"));
        Map<String, RepositoryEventRecord> byId = new HashMap<>();
        events.forEach(e -> byId.put(e.eventId(), e));
        List<Map<String, Object>> rows = rows(run(db, query.toString()));
        assertEquals(200, rows.size());
        for (Map<String, Object> row : rows) {
            Instant t = byId.get((String) row.get("EventId")).timeGenerated();
            for (String column : formats.keySet()) {
                assertEquals(
                        java.time.format.DateTimeFormatter.ofPattern(javaFormats.get(column), java.util.Locale.ENGLISH)
                                .withZone(ZoneOffset.UTC)
                                .format(t),
                        row.get(column),
                        column + " of " + t);
            }
        }
    }

    /** todatetime(): ISO 8601 dates and times, UTC unless an offset is given; anything else missing. */
    @ParameterizedTest
    @MethodSource("databases")
    void todatetimeReadsIso8601(Database db) {
        Map<String, Object> r = rows(run(
                        db,
                        "ContainerRegistryRepositoryEvents | take 1 | project a = todatetime('2026-11-21'),"
                                + " b = todatetime('2026-11-21T10:00:00'), c = todatetime('2026-11-21 10:00:00.5+02:00'),"
                                + " d = todatetime('2026-11-21T10:00:00.123456Z'), e = todatetime('yesterday'),"
                                + " f = todatetime(Repository), g = format_datetime(todatetime('2026-11-21T23:59:59Z') + 1s, 'yyyy-MM-dd')"))
                .get(0);
        assertEquals("2026-11-21T00:00:00Z", r.get("a"));
        assertEquals("2026-11-21T10:00:00Z", r.get("b"));
        assertEquals("2026-11-21T08:00:00.500Z", r.get("c"));
        assertEquals("2026-11-21T10:00:00.123456Z", r.get("d"));
        assertEquals(null, r.get("e"));
        assertEquals(null, r.get("f"));
        assertEquals("2026-11-22", r.get("g"));
    }

    /** parse (simple): each column up to the next literal, the last to the end; no match, no values. */
    @ParameterizedTest
    @MethodSource("databases")
    void parseSplitsTextAtItsLiterals(Database db) {
        List<Map<String, Object>> rows = rows(
                run(
                        db,
                        "ContainerRegistryRepositoryEvents | take 300"
                                + " | parse UserAgent with Tool \"/\" Version \" (\" Os \")\""
                                + " | parse CallerIpAddress with A \".\" B \".\" Rest"
                                + " | parse Repository with Team \"/\" App"
                                + " | parse Repository with * \"@\" Never"
                                + " | project EventId, Tool, Version, Os, A, B, Rest, Team, App, Never, Repository, CallerIpAddress"));
        assertEquals(300, rows.size());
        for (Map<String, Object> r : rows) {
            assertEquals("docker", r.get("Tool"));
            assertEquals("27.0", r.get("Version"));
            assertEquals("linux", r.get("Os"));
            String ip = (String) r.get("CallerIpAddress");
            assertEquals("10", r.get("A"));
            assertEquals("0", r.get("B"));
            assertEquals(ip.substring("10.0.".length()), r.get("Rest"), "the last column takes the rest, dots and all");
            String repository = (String) r.get("Repository");
            assertEquals(repository.substring(0, repository.indexOf('/')), r.get("Team"));
            assertEquals(repository.substring(repository.indexOf('/') + 1), r.get("App"));
            assertEquals(null, r.get("Never"), "no '@' in a repository: no match, no value");
        }
    }

    /** make-series: per group, an array over every bin from 'from' (not from the epoch), empty bins their default. */
    @ParameterizedTest
    @MethodSource("databases")
    void makeSeriesFillsEveryBin(Database db) {
        Instant from = Instant.parse("2026-11-20T11:30:00Z");
        Instant to = NOW;
        Duration step = Duration.ofHours(2);
        int bins = (int) ((Duration.between(from, to).getSeconds() + step.getSeconds() - 1) / step.getSeconds());
        QueryResult.Table t = run(
                db,
                "ContainerRegistryRepositoryEvents | make-series n = count() default = -1, big = countif(Size > 50000)"
                        + " on TimeGenerated from datetime(2026-11-20T11:30:00Z) to now() step 2h by OperationName");
        assertEquals(
                List.of("OperationName:string", "n:dynamic", "big:dynamic", "TimeGenerated:dynamic"),
                t.columns().stream().map(c -> c.name() + ":" + c.type()).toList());
        Map<String, long[]> expected = new java.util.TreeMap<>();
        Map<String, long[]> expectedBig = new java.util.TreeMap<>();
        for (RepositoryEventRecord e : events) {
            if (e.timeGenerated().isBefore(from) || !e.timeGenerated().isBefore(to)) {
                continue;
            }
            int bin = (int) (Duration.between(from, e.timeGenerated()).getSeconds() / step.getSeconds());
            expected.computeIfAbsent(e.operationName(), k -> new long[bins])[bin]++;
            expectedBig.computeIfAbsent(e.operationName(), k -> new long[bins])[bin] +=
                    e.size() != null && e.size() > 50000 ? 1 : 0;
        }
        assertEquals(
                expected.keySet(),
                rows(t).stream()
                        .map(r -> (String) r.get("OperationName"))
                        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        for (Map<String, Object> r : rows(t)) {
            long[] counts = expected.get((String) r.get("OperationName"));
            List<?> n = (List<?>) r.get("n");
            List<?> big = (List<?>) r.get("big");
            List<?> axis = (List<?>) r.get("TimeGenerated");
            assertEquals(bins, n.size());
            for (int b = 0; b < bins; b++) {
                assertEquals(counts[b] == 0 ? -1L : counts[b], ((Number) n.get(b)).longValue(), "bin " + b);
                assertEquals(expectedBig.get((String) r.get("OperationName"))[b], ((Number) big.get(b)).longValue());
                assertEquals(from.plus(step.multipliedBy(b)).toString(), axis.get(b));
            }
        }
    }

    // ---- the reference documents' queries ----

    @ParameterizedTest
    @MethodSource("databases")
    void lastDayOfRepositoryEvents(Database db) {
        QueryResult.Table t = run(db, "ContainerRegistryRepositoryEvents\n| where TimeGenerated > ago(1d)");
        List<String> expected = events(e -> e.timeGenerated().isAfter(NOW.minus(Duration.ofDays(1)))).stream()
                .map(RepositoryEventRecord::eventId)
                .sorted()
                .toList();
        assertEquals(
                expected,
                rows(t).stream().map(r -> (String) r.get("EventId")).sorted().toList());
        assertEquals("datetime", t.columns().get(0).type());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void unionTopProject(Database db) {
        QueryResult.Table t = run(
                db,
                "ContainerRegistryRepositoryEvents | union ContainerRegistryLoginEvents"
                        + " | top 100 by TimeGenerated | project TimeGenerated, LoginServer, OperationName, Identity, Repository,"
                        + " DurationMs, Region, ResultType");
        List<String> expected = Stream.concat(
                        events.stream().map(e -> e.timeGenerated()),
                        logins.stream().map(LoginEventRecord::timeGenerated))
                .sorted(Comparator.reverseOrder())
                .limit(100)
                .map(Instant::toString)
                .toList();
        assertEquals(
                expected,
                rows(t).stream().map(r -> (String) r.get("TimeGenerated")).toList());
        assertEquals(
                List.of(
                        "TimeGenerated",
                        "LoginServer",
                        "OperationName",
                        "Identity",
                        "Repository",
                        "DurationMs",
                        "Region",
                        "ResultType"),
                t.columns().stream().map(QueryResult.Column::name).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deletes(Database db) {
        QueryResult.Table t = run(
                db,
                "ContainerRegistryRepositoryEvents | where OperationName contains \"Delete\""
                        + " | project LoginServer, OperationName, Repository, Identity, CallerIpAddress");
        assertEquals(
                events(e -> e.operationName().toLowerCase().contains("delete")).size(),
                t.rows().size());
        assertTrue(t.rows().stream().allMatch(r -> r.get(1).equals("Delete")));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void failedLoginsIncludeThoseWithoutADescription(Database db) {
        QueryResult.Table t = run(
                db,
                "ContainerRegistryLoginEvents | where ResultDescription != \"200\""
                        + " | project TimeGenerated, Identity, CallerIpAddress, ResultDescription");
        long expected = logins.stream()
                .filter(l -> !"200".equals(l.resultDescription()))
                .count();
        assertEquals(expected, t.rows().size());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void countByRepositoryOverTheLastDay(Database db) {
        Map<String, Long> expected =
                new TreeMap<>(events(e -> e.timeGenerated().isAfter(NOW.minus(Duration.ofDays(1)))).stream()
                        .collect(groupingBy(RepositoryEventRecord::repository, counting())));
        assertEquals(
                expected,
                toMap(
                        run(
                                db,
                                "ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1d)"
                                        + " | summarize count() by Repository"),
                        "Repository",
                        "count_"));
    }

    // ---- operators and functions ----

    @ParameterizedTest
    @MethodSource("databases")
    void aggregationsByLoginServer(Database db) {
        QueryResult.Table t = run(
                db,
                "ContainerRegistryRepositoryEvents | summarize n = count(), who = dcount(Identity),"
                        + " bytes = sum(Size), slowest = max(DurationMs), fastest = min(DurationMs), mean = avg(DurationMs),"
                        + " pulls = countif(OperationName == \"Pull\") by LoginServer | sort by LoginServer asc");
        List<Map<String, Object>> rows = rows(t);
        List<String> servers = events.stream()
                .map(RepositoryEventRecord::loginServer)
                .distinct()
                .sorted()
                .toList();
        assertEquals(servers, rows.stream().map(r -> r.get("LoginServer")).toList());
        for (Map<String, Object> row : rows) {
            List<RepositoryEventRecord> of = events(e -> e.loginServer().equals(row.get("LoginServer")));
            assertEquals((long) of.size(), row.get("n"));
            assertEquals(
                    of.stream()
                            .map(RepositoryEventRecord::identity)
                            .filter(Objects::nonNull)
                            .distinct()
                            .count(),
                    row.get("who"));
            assertEquals(
                    of.stream()
                            .map(RepositoryEventRecord::size)
                            .filter(Objects::nonNull)
                            .mapToLong(Long::longValue)
                            .sum(),
                    row.get("bytes"));
            assertEquals(
                    of.stream()
                            .mapToLong(RepositoryEventRecord::durationMs)
                            .max()
                            .getAsLong(),
                    row.get("slowest"));
            assertEquals(
                    of.stream()
                            .mapToLong(RepositoryEventRecord::durationMs)
                            .min()
                            .getAsLong(),
                    row.get("fastest"));
            assertEquals(
                    of.stream()
                            .mapToLong(RepositoryEventRecord::durationMs)
                            .average()
                            .getAsDouble(),
                    (Double) row.get("mean"),
                    1e-9);
            assertEquals(
                    of.stream().filter(e -> e.operationName().equals("Pull")).count(), row.get("pulls"));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void hourlyBins(Database db) {
        QueryResult.Table t = run(
                db,
                "ContainerRegistryRepositoryEvents | where TimeGenerated > ago(12h)"
                        + " | summarize count() by bin(TimeGenerated, 1h) | sort by TimeGenerated asc");
        Map<String, Long> expected =
                new TreeMap<>(events(e -> e.timeGenerated().isAfter(NOW.minus(Duration.ofHours(12)))).stream()
                        .collect(groupingBy(
                                e -> e.timeGenerated()
                                        .truncatedTo(ChronoUnit.HOURS)
                                        .toString(),
                                counting())));
        assertEquals(expected, toMap(t, "TimeGenerated", "count_"));
        assertEquals(
                new ArrayList<>(expected.keySet()),
                rows(t).stream().map(r -> r.get("TimeGenerated")).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void stringOperatorsAndLists(Database db) {
        record Case(String condition, Predicate<RepositoryEventRecord> expected) {}
        List<Case> cases = List.of(
                new Case(
                        "Repository in (\"team-a/api\", \"library/nginx\")",
                        e -> Set.of("team-a/api", "library/nginx").contains(e.repository())),
                new Case("Repository !in (\"team-a/api\")", e -> !e.repository().equals("team-a/api")),
                new Case("Repository startswith \"TEAM-\"", e -> e.repository().startsWith("team-")),
                new Case("Repository has \"nginx\"", e -> e.repository().equals("library/nginx")),
                new Case("Repository has \"ngin\"", e -> false),
                new Case("Repository !contains \"team\"", e -> !e.repository().contains("team")),
                new Case("Repository endswith \"/db\"", e -> e.repository().endsWith("/db")),
                new Case("isempty(Tag)", e -> e.tag() == null),
                new Case(
                        "isnotempty(Identity) and not(Identity == \"bob\")",
                        e -> e.identity() != null && !e.identity().equals("bob")),
                new Case("Identity == \"\"", e -> e.identity() == null),
                new Case("Identity =~ \"ALICE\"", e -> "alice".equals(e.identity())),
                new Case("Size > 50000 or Size < 100", e -> e.size() != null && (e.size() > 50000 || e.size() < 100)),
                new Case("DurationMs * 2 >= 500 + 2", e -> e.durationMs() * 2 >= 502),
                new Case("TimeGenerated between_is_not_supported", null));
        for (Case c : cases) {
            String query = "ContainerRegistryRepositoryEvents | where " + c.condition() + " | count";
            if (c.expected() == null) {
                assertThrows(QuerySyntaxException.class, () -> run(db, query));
                continue;
            }
            assertEquals(
                    (long) events(c.expected()).size(),
                    run(db, query).rows().get(0).get(0),
                    db + ": " + query);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void takeSortDistinctExtend(Database db) {
        assertEquals(
                7, run(db, "ContainerRegistryRepositoryEvents | take 7").rows().size());
        QueryResult.Table oldest = run(
                db,
                "ContainerRegistryRepositoryEvents | sort by TimeGenerated asc | take 3"
                        + " | extend Hour = bin(TimeGenerated, 1h), Big = Size > 1000 | project EventId, Hour, Big");
        List<RepositoryEventRecord> expected = events.stream()
                .sorted(Comparator.comparing(RepositoryEventRecord::timeGenerated))
                .limit(3)
                .toList();
        assertEquals(
                expected.stream().map(RepositoryEventRecord::eventId).toList(),
                rows(oldest).stream().map(r -> r.get("EventId")).toList());
        assertEquals(
                List.of("string", "datetime", "bool"),
                oldest.columns().stream().map(QueryResult.Column::type).toList());
        assertEquals(
                REPOSITORIES.stream().sorted().toList(),
                run(db, "ContainerRegistryRepositoryEvents" + " | distinct Repository | sort by Repository asc")
                        .rows()
                        .stream()
                        .map(r -> r.get(0))
                        .toList());
        assertEquals(
                (long) events(e -> e.timeGenerated().isAfter(Instant.parse("2026-11-20T00:00:00Z")))
                        .size(),
                run(db, "ContainerRegistryRepositoryEvents | where TimeGenerated >= datetime(2026-11-20) | count")
                        .rows()
                        .get(0)
                        .get(0));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void azureMetricsCountEachPullAndPushOnce(Database db) {
        QueryResult.Table t = run(db, "AzureMetrics | summarize Total = sum(Total) by MetricName");
        Map<String, Long> expected = new TreeMap<>();
        long imagePulls = events(e -> e.operationName().equals("Pull")
                        && !(e.tag() == null && "application/octet-stream".equals(e.mediaType())))
                .size();
        expected.put("TotalPullCount", imagePulls);
        expected.put("SuccessfulPullCount", (long) events(e -> e.operationName().equals("Pull")
                        && !(e.tag() == null && "application/octet-stream".equals(e.mediaType()))
                        && e.resultType().startsWith("2"))
                .size());
        expected.put("TotalPushCount", (long)
                events(e -> e.operationName().equals("Push")).size());
        expected.put("SuccessfulPushCount", (long)
                events(e -> e.operationName().equals("Push") && e.resultType().startsWith("2"))
                        .size());
        expected.put(
                "SuccessfulLoginCount",
                logins.stream().filter(l -> l.resultType().startsWith("2")).count());
        expected.put(
                "FailedLoginCount",
                logins.stream().filter(l -> !l.resultType().startsWith("2")).count());
        assertEquals(expected, toMap(t, "MetricName", "Total"));
        QueryResult.Table perMinute = run(
                db,
                "AzureMetrics | where MetricName == \"TotalPushCount\" | take 1"
                        + " | project TimeGrain, UnitName, Count, Average");
        assertEquals(List.of("PT1M", "Count"), perMinute.rows().get(0).subList(0, 2));
    }

    // ---- access rules ----

    @ParameterizedTest
    @MethodSource("databases")
    void aLimitedCallerSeesOnlyWhatTheRulesAllowWhateverTheQuery(Database db) {
        Predicate<RepositoryEventRecord> visible = e -> e.repository().startsWith("team-a/");
        long visibleEvents = events(visible).size();
        long ownLogins =
                logins.stream().filter(l -> "alice".equals(l.identity())).count();
        long visibleGuns = trust.stream()
                .filter(t -> AccessRules.matches("team-a/*", t.gun(), Set.of("registry.example.com")))
                .count();
        assertEquals(
                visibleEvents,
                run(db, "ContainerRegistryRepositoryEvents | count", TEAM_A)
                        .rows()
                        .get(0)
                        .get(0));
        Map<String, Long> byType = toMap(
                run(
                        db,
                        "union ContainerRegistryRepositoryEvents, ContainerRegistryLoginEvents,"
                                + " TrustChanges | summarize count() by Type",
                        TEAM_A),
                "Type",
                "count_");
        assertEquals(
                Map.of(
                        "ContainerRegistryRepositoryEvents",
                        visibleEvents,
                        "ContainerRegistryLoginEvents",
                        ownLogins,
                        "TrustChanges",
                        visibleGuns),
                byType);
        assertEquals(
                2,
                trust.stream()
                        .map(Trust::gun)
                        .distinct()
                        .filter(g -> AccessRules.matches("team-a/*", g, Set.of("registry.example.com")))
                        .count(),
                "registry.example.com's GUN counts, evil/team-a/api and acme.corp/team-a/web do not");
        assertEquals(
                Map.of("alice", ownLogins),
                toMap(
                        run(
                                db,
                                "ContainerRegistryLoginEvents | union"
                                        + " (ContainerRegistryLoginEvents | where Identity != \"alice\") | where Identity == \"alice\" or true"
                                        + " | summarize count() by Identity",
                                TEAM_A),
                        "Identity",
                        "count_"));
        Map<String, Long> pushes =
                toMap(run(db, "AzureMetrics | summarize sum(Total) by MetricName", TEAM_A), "MetricName", "sum_Total");
        assertEquals(
                (long) events(visible.and(e -> e.operationName().equals("Push")))
                        .size(),
                pushes.get("TotalPushCount"));
        assertTrue(
                !pushes.containsKey("SuccessfulLoginCount") && !pushes.containsKey("FailedLoginCount"),
                pushes.toString());
        assertEquals(
                List.of("team-a/api", "team-a/web"),
                run(
                                db,
                                "ContainerRegistryRepositoryEvents"
                                        + " | where Repository !startswith \"team-a\" or true | distinct Repository | sort by Repository asc",
                                TEAM_A)
                        .rows()
                        .stream()
                        .map(r -> r.get(0))
                        .toList());
        assertEquals(
                0L,
                run(db, "ContainerRegistryRepositoryEvents | count", new Visibility(List.of(), ""))
                        .rows()
                        .get(0)
                        .get(0));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void injectionAttemptsMatchNothingAndChangeNothing(Database db) {
        for (String evil : List.of(
                "x' OR '1'='1",
                "'; DELETE FROM ContainerRegistryRepositoryEvents; --",
                "\\\" OR 1=1 --",
                "%",
                "_",
                "team-a/%")) {
            String literal = "\"" + evil.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            for (String condition : List.of(
                    "Repository == " + literal,
                    "Repository contains " + literal,
                    "Repository in (" + literal + ")",
                    "Repository has " + literal,
                    "Repository startswith " + literal)) {
                Object n = run(db, "ContainerRegistryRepositoryEvents | where " + condition + " | count", TEAM_A)
                        .rows()
                        .get(0)
                        .get(0);
                assertEquals(0L, n, db + ": " + condition);
            }
        }
        assertEquals(
                (long) events.size(),
                run(db, "ContainerRegistryRepositoryEvents | count")
                        .rows()
                        .get(0)
                        .get(0));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void tooManyRowsIsAClearError(Database db) throws SQLException {
        InvalidRequestException e = assertThrows(
                InvalidRequestException.class,
                () -> QueryRunner.execute(
                        db.connection(),
                        KqlTranslator.translate(
                                "ContainerRegistryRepositoryEvents", Visibility.EVERYTHING, db.dialect(), NOW),
                        100,
                        DEADLINES));
        assertTrue(e.getMessage().contains("more than 100 rows"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aQueryPastItsTimeLimitIsStoppedWithAClearError(Database db) throws Exception {
        QueryDeadlines oneSecond = new QueryDeadlines(1);
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor();
        sweeper.scheduleWithFixedDelay(oneSecond::sweep, 100, 100, TimeUnit.MILLISECONDS);
        String slow = db.dialect() == SqlDialect.POSTGRESQL
                ? "SELECT 1 AS Slept FROM pg_sleep(600)"
                : "SELECT SUM(X) AS Slept FROM SYSTEM_RANGE(1, 100000000000)";
        try {
            InvalidRequestException e = assertThrows(
                    InvalidRequestException.class,
                    () -> QueryRunner.execute(
                            db.connection(),
                            new KqlTranslator.Translation(slow, List.of(), Map.of("Slept", ColumnType.LONG)),
                            100,
                            oneSecond));
            assertTrue(e.getMessage().startsWith("the query ran longer than 1 s and was stopped"), e.getMessage());
        } finally {
            sweeper.shutdownNow();
        }
        assertEquals(
                1L,
                run(db, "ContainerRegistryRepositoryEvents | take 1 | count")
                        .rows()
                        .get(0)
                        .get(0),
                "the connection answers the next query");
    }

    /**
     * Property: a query that translates also runs. Random pipelines over every table, operator and
     * function, each run on the database; the only failures allowed are the 400s (a syntax error,
     * too many rows, data the query cannot compute), never a database error, which would be a 500.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void everyQueryThatTranslatesRuns(Database db) {
        String[] tables = {
            "ContainerRegistryRepositoryEvents", "ContainerRegistryLoginEvents", "AzureMetrics", "TrustChanges"
        };
        String[] columns = {
            "TimeGenerated",
            "Repository",
            "Identity",
            "Size",
            "DurationMs",
            "Total",
            "GUN",
            "Version",
            "ResultType",
            "Tag",
            "MetricName",
            "Type",
            "count_",
            "n",
            "Column1"
        };
        String[] values = {
            "\"x\"",
            "''",
            "0",
            "1",
            "-3",
            "2.5",
            "ago(1d)",
            "now()",
            "datetime(2026-11-20)",
            "true",
            "1h",
            "Size",
            "strlen(Tag)",
            "tolower(Repository)",
            "bin(TimeGenerated, 1h)",
            "Size * 2 - DurationMs",
            "DurationMs / 0",
            "isempty(Tag)",
            "now() - 2h",
            "iff(Size > 10, Size, 0)",
            "iff(isempty(Tag), 1, 2.5)",
            "case(Size > 10, \"big\", Size > 5, Tag, \"small\")",
            "iff(true, TimeGenerated, now())",
            "TimeGenerated - 30m",
            "1h + TimeGenerated",
            "limit0 * Size",
            "tolong(ResultType)",
            "todouble(Tag)",
            "tostring(Size)",
            "toint(isempty(Tag))",
            "extract(\"v([0-9])\", 1, Tag)",
            "extract('[0-9]+', 0, Repository)",
            "format_datetime(TimeGenerated, 'yyyy-MM-dd HH:mm')",
            "format_datetime(Size, 'yy')",
            "todatetime(Tag)",
            "todatetime('2026-11-20') + 1h"
        };
        String[] comparisons = {
            "==",
            "!=",
            "<",
            ">=",
            "=~",
            "contains",
            "!contains",
            "has",
            "startswith",
            "endswith",
            "in (\"a\", \"b\")",
            "!in (1, 2)"
        };
        String[] aggregates = {
            "count()",
            "dcount(Repository)",
            "sum(Size)",
            "min(TimeGenerated)",
            "max(Tag)",
            "avg(DurationMs)",
            "countif(Size > 10)",
            "sum(Total)",
            "percentile(Size, 95)",
            "percentile(TimeGenerated, 50)",
            "percentile(Repository, 5)",
            "arg_max(TimeGenerated, *)",
            "arg_min(Size, Repository, Tag)"
        };
        Random random = new Random(7);
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (int i = 0; i < 5000; i++) {
            // a third of the queries name a scalar (limit0) and a table (recent) with let first
            StringBuilder q = new StringBuilder(
                    i % 3 == 0
                            ? "let limit0 = 3; let recent = ContainerRegistryRepositoryEvents | where TimeGenerated > ago(2d);\n"
                                    + (random.nextBoolean() ? "recent" : pick(random, tables))
                            : pick(random, tables));
            for (int n = random.nextInt(5); n >= 0; n--) {
                String column = pick(random, columns);
                q.append(" | ")
                        .append(
                                switch (random.nextInt(11)) {
                                    case 0 ->
                                        "where " + column + " " + pick(random, comparisons)
                                                + (pick(random, comparisons).contains("in")
                                                        ? ""
                                                        : " " + pick(random, values));
                                    case 1 -> "project " + column + ", n = " + pick(random, values);
                                    case 2 -> "extend n = " + pick(random, values);
                                    case 3 ->
                                        "summarize n = " + pick(random, aggregates) + ", " + pick(random, aggregates)
                                                + " by "
                                                + (random.nextBoolean()
                                                        ? column
                                                        : "bin(" + column + ", " + pick(random, values) + ")");
                                    case 4 ->
                                        "top " + random.nextInt(20) + " by " + column
                                                + (random.nextBoolean() ? " asc" : "");
                                    case 5 -> "take " + random.nextInt(20);
                                    case 6 -> "sort by " + column + " asc, " + pick(random, columns);
                                    case 7 ->
                                        random.nextInt(4) == 0 && n == 0 ? "render timechart" : "distinct " + column;
                                    case 9 ->
                                        random.nextBoolean()
                                                ? "parse " + column + " with P1 \"/\" P2"
                                                : "make-series s = " + pick(random, aggregates)
                                                        + " on TimeGenerated from ago(2d) to now() step 6h by "
                                                        + column;
                                    case 8 ->
                                        random.nextBoolean()
                                                ? "count"
                                                : "join kind="
                                                        + pick(random, KqlChecker.JOIN_KINDS.toArray(String[]::new))
                                                        + " (" + pick(random, tables) + " | take 50) on " + column;
                                    default ->
                                        "union " + pick(random, tables)
                                                + (random.nextBoolean()
                                                        ? ""
                                                        : ", (" + pick(random, tables) + " | where " + column + " "
                                                                + pick(random, comparisons) + " " + pick(random, values)
                                                                + ")");
                                });
            }
            KqlTranslator.Translation t;
            try {
                t = KqlTranslator.translate(
                        q.toString(), i % 2 == 0 ? TEAM_A : Visibility.EVERYTHING, db.dialect(), NOW);
            } catch (QuerySyntaxException e) {
                continue;
            }
            ran++;
            try {
                QueryRunner.execute(db.connection(), t, 100_000, DEADLINES);
            } catch (InvalidRequestException e) {
                // a 400 with its reason: fine
            } catch (SQLException e) {
                if (!e.getSQLState().startsWith("22")) {
                    failures.add(q + "\n  → " + e.getMessage());
                }
            } catch (RuntimeException e) {
                failures.add(q + "\n  → " + e);
            }
        }
        assertTrue(ran > 500, "only " + ran + " of the random queries translated");
        assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())), failures.size() + " failed");
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
