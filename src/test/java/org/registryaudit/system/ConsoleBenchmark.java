package org.registryaudit.system;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How fast the console's first view is on the embedded defaults with many events (the issue asks:
 * interactive within a second with a million). Loads {@code bench.webhook-events} repository events
 * (default 20,000) through the registry webhook, 500 to a POST, then, with the server stopped, the
 * rest up to {@code bench.events} (default 1,000,000) straight into the embedded H2 with the H2 jar
 * Payara Micro ships (the webhook stores about 400 events/s on the embedded defaults here: a million
 * would take 45 minutes), all spread over 200 repositories and the last 7 days; restarts the server,
 * then opens each view in Debian's Chromium as a fresh page load and reads the
 * console's own {@code console-ready} mark (navigation start to the first view rendered with its
 * data). Not part of the test suite; docs/benchmarks.md has the command and the figures.
 */
class ConsoleBenchmark {

    private final int events = Integer.getInteger("bench.events", 1_000_000);
    private final int viaWebhook = Math.min(events, Integer.getInteger("bench.webhook-events", 20_000));
    private static final int PER_POST = 500;
    private static final String SERVER = "console.example.com";
    private final List<String> report = new ArrayList<>();

    @Test
    void measure() throws Exception {
        try (ProductionStack stack = ProductionStack.embedded("bench_console")) {
            long loadStart = System.nanoTime();
            load(stack);
            String token = stack.adminToken();
            while (count(stack, token) < viaWebhook) {
                Thread.sleep(2000);
                token = stack.adminToken();
            }
            double webhookSeconds = (System.nanoTime() - loadStart) / 1e9;
            stack.killServer();
            long bulkStart = System.nanoTime();
            bulkInsert(stack, events - viaWebhook);
            double bulkSeconds = (System.nanoTime() - bulkStart) / 1e9;
            stack.startServer();
            Map<String, String> views = new LinkedHashMap<>();
            views.put("repository events, last day (the first view after sign-in)", "#/logs/repository");
            views.put(
                    "repository events, last week, one repository",
                    "#/logs/repository?range=7d&repository=team-7%2Fapp");
            views.put(
                    "repository events, all time, one identity, 200 rows",
                    "#/logs/repository?range=all&identity=user-3&limit=200");
            views.put("login events, last day", "#/logs/login");
            views.put("metrics, last week, per hour (two charts)", "#/metrics?range=7d&timeGrain=PT1H");
            views.put("trust changes (empty)", "#/trust");
            ChromeDriver browser = ConsoleST.chromium(stack.root(), stack.root());
            try {
                signIn(browser, stack);
                line(
                        "## Console benchmark, embedded defaults (H2, embedded broker), %s",
                        Instant.now().truncatedTo(ChronoUnit.SECONDS));
                line(
                        "machine: %d cores; %,d repository events: %,d through the webhook (%.0f s, %,.0f events/s), "
                                + "the rest inserted into H2 directly (%.0f s); Debian Chromium headless, a fresh page "
                                + "load per view, median of 5",
                        Runtime.getRuntime().availableProcessors(),
                        count(stack, stack.adminToken()),
                        viaWebhook,
                        webhookSeconds,
                        viaWebhook / webhookSeconds,
                        bulkSeconds);
                line("");
                line("| view | first view with its data (ms): median / slowest |");
                line("|---|---|");
                for (Map.Entry<String, String> view : views.entrySet()) {
                    List<Double> times = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        times.add(ready(browser, stack, view.getValue()));
                    }
                    times.sort(Double::compare);
                    line("| %s | %.0f / %.0f |", view.getKey(), times.get(2), times.get(4));
                }
            } finally {
                browser.quit();
            }
            String text = String.join("\n", report) + "\n";
            Path out =
                    Path.of("target", "benchmarks", "console-" + Instant.now().getEpochSecond() + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            System.out.println(text);
        }
    }

    /** Events through POST /notifications, 4 clients, 500 events to a POST, the last 7 days. */
    private void load(ProductionStack stack) throws Exception {
        String secret = stack.dataFile("notification-secret");
        HttpClient http = HttpClient.newHttpClient();
        URI url = stack.url("/notifications");
        Instant now = Instant.now();
        AtomicLong next = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            done.add(clients.submit(() -> {
                long first;
                while ((first = next.getAndAdd(PER_POST)) < viaWebhook) {
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (long i = first; i < Math.min(first + PER_POST, viaWebhook); i++) {
                        if (i > first) {
                            body.append(',');
                        }
                        Instant at = now.minusMillis((long) ((viaWebhook - i) * (7 * 86_400_000.0 / viaWebhook)));
                        body.append("""
                                {"id":"cb-%d","timestamp":"%s","action":"%s","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%064x","size":1234,"length":1234,"repository":"team-%d/app","tag":"v%d"},"request":{"id":"r-%d","addr":"10.0.%d.%d:5000","host":"%s","method":"%s","useragent":"skopeo/1.9.3"},"actor":{"name":"user-%d"},"source":{"addr":"registry:5000","instanceID":"bench"}}""".formatted(
                                        i,
                                        at,
                                        i % 5 == 0 ? "push" : "pull",
                                        i,
                                        i % 200,
                                        i % 50,
                                        i,
                                        (i / 256) % 256,
                                        i % 256,
                                        SERVER,
                                        i % 5 == 0 ? "PUT" : "GET",
                                        i % 40));
                    }
                    body.append("]}");
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(url)
                                    .header("X-Registry-Audit-Secret", secret)
                                    .header("Content-Type", "application/vnd.docker.distribution.events.v1+json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();
    }

    /**
     * Rows straight into the stopped server's H2 database, in the shape the webhook stores, with the
     * H2 driver of Payara Micro's own jar (the same version that wrote the file).
     */
    private static void bulkInsert(ProductionStack stack, int rows) throws Exception {
        Path h2 = stack.root().resolve("h2.jar");
        try (ZipFile micro = new ZipFile(
                        Path.of("target", "runtime", "payara-micro.jar").toFile());
                InputStream in = micro.getInputStream(micro.getEntry("MICRO-INF/runtime/h2.jar"))) {
            Files.copy(in, h2, StandardCopyOption.REPLACE_EXISTING);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {h2.toUri().toURL()})) {
            Driver driver = (Driver) Class.forName("org.h2.Driver", true, loader)
                    .getDeclaredConstructor()
                    .newInstance();
            Properties login = new Properties();
            login.setProperty("user", "");
            login.setProperty("password", "");
            String url = "jdbc:h2:" + stack.root().resolve("payara/lib/databases/embedded_default");
            try (Connection c = driver.connect(url, login)) {
                c.setAutoCommit(false);
                double spacing = 7 * 86_400_000.0 / Math.max(rows, 1);
                for (int from = 1; from <= rows; from += 100_000) {
                    try (PreparedStatement insert = c.prepareStatement(BULK)) {
                        insert.setDouble(1, spacing);
                        insert.setString(2, SERVER);
                        insert.setLong(3, from);
                        insert.setLong(4, Math.min(rows, from + 99_999));
                        insert.executeUpdate();
                    }
                    c.commit();
                }
                try (Statement analyze = c.createStatement()) {
                    analyze.execute("ANALYZE");
                }
                c.commit();
            }
        }
    }

    private static final String BULK = "INSERT INTO ContainerRegistryRepositoryEvents (Id, EventId, TimeGenerated, "
            + "ReceivedAt, LoginServer, OperationName, Repository, Tag, Digest, MediaType, Size, Identity, ResultType, "
            + "ResultDescription, CallerIpAddress, UserAgent, HttpMethod, CorrelationId) "
            + "SELECT 10000000000 + X, 'cb-bulk-' || X, DATEADD(MILLISECOND, -CAST(X * ? AS BIGINT), CURRENT_TIMESTAMP), "
            + "CURRENT_TIMESTAMP, ?, CASE WHEN MOD(X, 5) = 0 THEN 'Push' ELSE 'Pull' END, 'team-' || MOD(X, 200) || '/app', "
            + "'v' || MOD(X, 50), 'sha256:' || LPAD(CAST(X AS VARCHAR), 64, '0'), "
            + "'application/vnd.oci.image.manifest.v1+json', 1234, 'user-' || MOD(X, 40), '200', '200', '10.0.7.7', "
            + "'skopeo/1.9.3', CASE WHEN MOD(X, 5) = 0 THEN 'PUT' ELSE 'GET' END, 'r-' || X FROM SYSTEM_RANGE(?, ?)";

    private static long count(ProductionStack stack, String token) throws Exception {
        HttpResponse<String> r =
                stack.post("/api/query", "{\"query\":\"ContainerRegistryRepositoryEvents | count\"}", token);
        Matcher m = Pattern.compile("\"rows\":\\[\\[(\\d+)\\]\\]").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void signIn(ChromeDriver browser, ProductionStack stack) throws Exception {
        browser.get(stack.url("/console/").toString());
        new WebDriverWait(browser, java.time.Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("user")))
                .sendKeys("admin", Keys.TAB);
        browser.switchTo().activeElement().sendKeys(stack.adminPassword(), Keys.ENTER);
        new WebDriverWait(browser, java.time.Duration.ofSeconds(60))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main table")));
    }

    /** A fresh page load of the view; ms from navigation start to the console's first view with its data. */
    private static double ready(ChromeDriver browser, ProductionStack stack, String fragment) {
        browser.get("about:blank");
        browser.get(stack.url("/console/").toString() + fragment);
        Object ms = new WebDriverWait(browser, java.time.Duration.ofSeconds(60))
                .until(d -> ((ChromeDriver) d)
                        .executeScript("const m = performance.getEntriesByName('console-ready');"
                                + " return m.length ? m[0].startTime : null;"));
        if (!browser.findElement(By.id("status")).getText().isEmpty()) {
            throw new IllegalStateException(
                    fragment + ": " + browser.findElement(By.id("status")).getText());
        }
        return ((Number) ms).doubleValue();
    }

    private void line(String format, Object... args) {
        report.add(String.format(format, args));
    }
}
