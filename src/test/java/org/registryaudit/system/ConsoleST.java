package org.registryaudit.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/**
 * The browser console in Debian's Chromium, driven by Selenium through Debian's chromedriver (no
 * browser or driver download: both paths are given), against the WAR on the embedded defaults as
 * README "Run" starts it, with events from a push and a pull through Debian's docker-registry.
 * Every page is saved as a screenshot under target/console-st/screenshots, and axe-core (Deque's
 * checker, bundled in its jar, offline) checks each for WCAG 2 A/AA violations.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleST {

    static final String CHROMIUM = System.getProperty("chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chromedriver", "/usr/bin/chromedriver");
    static final String AUDITOR = "carol";
    static final String AUDITOR_PASSWORD = "carol-console-password";

    final Path root = Path.of("target", "console-st").toAbsolutePath();
    final Path screenshots = root.resolve("screenshots");
    final Path downloads = root.resolve("downloads");
    final List<String> accessibility = new ArrayList<>();
    ProductionStack stack;
    RegistryUnderTest registry;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        ProductionStack.deleteRecursively(root);
        Files.createDirectories(screenshots);
        Files.createDirectories(downloads);
        stack = ProductionStack.embedded("console_st");
        String token = stack.adminToken();
        assertEquals(
                201,
                stack.put("/api/users/" + AUDITOR, """
                {"password":"%s","role":"auditor","grants":[{"repository":"team/*","actions":["pull"]}]}""".formatted(AUDITOR_PASSWORD), token)
                        .statusCode());
        registry = RegistryUnderTest.start(stack);
        Path image = registry.buildImage("console test image");
        String host = registry.host();
        registry.skopeo("copy", "oci:" + image + ":1.0", "docker://" + host + "/team/app:1.0");
        registry.skopeo("copy", "oci:" + image + ":1.0", "docker://" + host + "/other/secret:1.0");
        registry.skopeo(
                "copy",
                "docker://" + host + "/team/app:1.0",
                "oci:" + registry.dir().resolve("pulled") + ":1.0");
        int sent = registry.awaitQuietNotifications(Duration.ofSeconds(3)).size();
        ProductionST.await("the registry's events are stored", Duration.ofSeconds(60), () -> {
            try {
                return stack.get("/api/repository-events?limit=200&loginServer=" + host, token)
                                        .body()
                                        .split("\"EventId\"", -1)
                                        .length
                                - 1
                        >= sent;
            } catch (Exception e) {
                return false;
            }
        });
        // a failed login whose user name a spreadsheet would run as a formula
        stack.getWithBasic("/auth/token", "=SUM(1+1)", "wrong");

        browser = chromium(root, downloads);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    /**
     * Debian's Chromium, headless, through Debian's chromedriver: both paths given, so Selenium
     * downloads nothing; without the background-networking switches Chromium keeps trying the
     * closed network. Its profile and driver log go under {@code root}, downloads to {@code downloads}.
     */
    static ChromeDriver chromium(Path root, Path downloads) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + root.resolve("chromium-profile"));
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .withLogFile(root.resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() throws Exception {
        if (!accessibility.isEmpty()) {
            System.out.println("ConsoleST accessibility: " + accessibility);
        }
        for (AutoCloseable c : new AutoCloseable[] {browser == null ? null : browser::quit, registry, stack}) {
            if (c != null) {
                c.close();
            }
        }
    }

    String console(String fragment) {
        return stack.url("/console/" + fragment).toString();
    }

    void shot(String name) throws Exception {
        Files.write(screenshots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** axe-core on the page as it is: no WCAG 2 A or AA violation of serious or critical impact. */
    void accessible(String page) {
        Results results =
                new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa")).analyze(browser);
        for (Rule violation : results.getViolations()) {
            accessibility.add(page + ": " + violation.getId() + " (" + violation.getImpact() + ")");
        }
        List<String> serious = results.getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(v -> v.getId() + ": " + v.getHelp() + " "
                        + v.getNodes().get(0).getTarget())
                .collect(Collectors.toList());
        assertTrue(serious.isEmpty(), page + ": " + serious);
    }

    void signIn(String user, String password) {
        browser.get(console(""));
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
        assertEquals(name, browser.switchTo().activeElement(), "the user field has the focus");
        name.sendKeys(user, Keys.TAB); // keyboard only: tab to the password, Enter signs in
        WebElement field = browser.switchTo().activeElement();
        field.sendKeys(password, Keys.ENTER);
        // the token service slows guessing from one address (this test's refused logins come from
        // 127.0.0.1 too): the console says when to try again, and a person would
        for (int attempt = 0; attempt < 5; attempt++) {
            wait.until(d -> !d.findElements(By.cssSelector("main table")).isEmpty()
                    || !d.findElement(By.id("sign-in-error")).getText().isBlank());
            if (!browser.findElements(By.cssSelector("main table")).isEmpty()) {
                return;
            }
            java.util.regex.Matcher later = java.util.regex.Pattern.compile(
                            "too many failed logins.*try again in (\\d+) s")
                    .matcher(browser.findElement(By.id("sign-in-error")).getText());
            if (!later.find() || Long.parseLong(later.group(1)) > 5) {
                return;
            }
            try {
                Thread.sleep(Long.parseLong(later.group(1)) * 1000 + 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            field.sendKeys(Keys.ENTER);
        }
    }

    WebElement table() throws Exception {
        return await(By.cssSelector("main table"));
    }

    /** The element once it is there; if it never comes, a screenshot and what the page says. */
    WebElement await(By what) throws Exception {
        try {
            return wait.until(ExpectedConditions.presenceOfElementLocated(what));
        } catch (org.openqa.selenium.TimeoutException e) {
            shot("failed-" + System.nanoTime());
            throw new AssertionError(
                    "no " + what + " at " + browser.getCurrentUrl() + "; the page says: "
                            + browser.findElement(By.tagName("body")).getText(),
                    e);
        }
    }

    String text() {
        return browser.findElement(By.tagName("main")).getText();
    }

    @Test
    @Order(1)
    void theConsoleIsServedWithAStrictPolicyAndTheApiStillNeedsAToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String file : List.of("index.html", "app.js", "views/query.js", "console.css")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(console(file))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), file);
            String policy = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), policy);
            assertEquals(
                    "nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        }
        assertEquals(401, stack.get("/api/repository-events", null).statusCode());
        for (String outside : List.of("%2e%2e/WEB-INF/web.xml", "..%2FWEB-INF%2Fweb.xml", "index.txt", "views")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(console(outside))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), outside + ": " + r.body());
            assertFalse(r.body().contains("web-app"), r.body());
        }
        HttpResponse<Void> bare = http.send(
                HttpRequest.newBuilder(stack.url("/console")).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(303, bare.statusCode());
        assertTrue(bare.headers().firstValue("Location").orElse("").endsWith("/console/index.html"));
        signIn("admin", "not the password");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
        wait.until(d -> !error.getText().isBlank());
        assertFalse(error.getText().contains("not the password"), error.getText());
        shot("01-sign-in-refused");
        accessible("sign-in");
    }

    @Test
    @Order(2)
    void anAdminSeesThePushAndTheDetailsOfOneRecord() throws Exception {
        long started = System.nanoTime();
        signIn("admin", stack.adminPassword());
        WebElement rows = table();
        wait.until(d -> rows.getText().contains("team/app"));
        System.out.printf(
                "ConsoleST: sign-in to the first table of repository events in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        assertTrue(rows.getText().contains("other/secret"), "the admin sees every repository");
        assertTrue(browser.findElement(By.id("caller")).getText().contains("admin"));
        shot("02-repository-events");
        accessible("repository events");

        WebElement push = browser.findElements(By.cssSelector("main tbody tr")).stream()
                .filter(tr -> tr.getText().contains("Push") && tr.getText().contains("team/app"))
                .findFirst()
                .orElseThrow();
        push.sendKeys(Keys.ENTER); // rows open by keyboard too
        WebElement details = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".details")));
        assertTrue(details.getText().contains("Digest") && details.getText().contains("sha256:"), details.getText());
        assertTrue(details.getText().contains("MediaType"), "every field, not only the table's columns");
        shot("03-record-details");

        // a filter and a column chosen: the URL carries them, and opening it again shows the same view
        WebElement repository = browser.findElement(By.name("repository"));
        repository.sendKeys("team/app");
        browser.findElement(By.cssSelector("details.columns summary")).click();
        browser.findElement(By.cssSelector("input[name=col][value=Digest]")).click();
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("repository=team%2Fapp"));
        String shared = browser.getCurrentUrl();
        assertTrue(shared.contains("Digest"), shared);
        browser.navigate().refresh();
        WebElement filtered = table();
        wait.until(d -> filtered.getText().contains("team/app"));
        Object ready = browser.executeScript(
                "const m = performance.getEntriesByName('console-ready'); return m.length ? m[0].startTime : -1;");
        System.out.printf(
                "ConsoleST: a shared view opened again, interactive with its data %.0f ms after navigation%n",
                ((Number) ready).doubleValue());
        assertFalse(filtered.getText().contains("other/secret"), filtered.getText());
        assertTrue(filtered.findElement(By.tagName("thead")).getText().contains("Digest"));
        shot("04-repository-events-filtered");

        browser.get(console("#/logs/login"));
        WebElement logins = table();
        wait.until(d -> logins.getText().contains("=SUM(1+1)"));
        shot("05-login-events");
    }

    @Test
    @Order(3)
    void aQueryWithAnErrorShowsWhereAndAGoodOneGivesAChartAndDownloads() throws Exception {
        browser.get(console("#/query"));
        WebElement editor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("query")));
        editor.clear();
        editor.sendKeys("ContainerRegistryRepositoryEvents\n| wher Repository == \"team/app\"");
        browser.findElement(By.cssSelector("form.query button[type=submit]")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#query-error p")));
        assertTrue(error.getText().startsWith("line 2, column 3"), error.getText());
        String marker =
                browser.findElement(By.cssSelector("#query-error pre.marker")).getText();
        assertTrue(marker.contains("2 | | wher") && marker.contains("^"), marker);
        shot("06-query-error");
        accessible("query with an error");

        browser.findElements(By.cssSelector(".examples button")).stream()
                .filter(b -> b.getText().contains("a chart"))
                .findFirst()
                .orElseThrow()
                .click();
        browser.findElement(By.cssSelector("form.query button[type=submit]")).click();
        await(By.cssSelector("figure.chart svg circle"));
        assertTrue(text().contains("team/app"), "the split by repository is in the legend and the table");
        shot("07-query-chart");
        accessible("query with a chart");

        editor = browser.findElement(By.name("query"));
        editor.clear();
        editor.sendKeys("ContainerRegistryLoginEvents | project TimeGenerated, Identity, ResultType");
        browser.findElement(By.cssSelector("form.query button[type=submit]")).click();
        wait.until(d -> text().contains("=SUM(1+1)"));
        browser.findElements(By.cssSelector(".actions button")).get(0).click();
        Path csv = downloads.resolve("query-result.csv");
        ProductionST.await("the CSV download", Duration.ofSeconds(20), () -> Files.exists(csv));
        String content = Files.readString(csv, StandardCharsets.UTF_8);
        assertTrue(content.startsWith("TimeGenerated,Identity,ResultType\r\n"), content);
        assertTrue(content.contains(",'=SUM(1+1),"), "a formula is escaped: " + content);
        browser.findElements(By.cssSelector(".actions button")).get(1).click();
        Path jsonl = downloads.resolve("query-result.jsonl");
        ProductionST.await("the JSON Lines download", Duration.ofSeconds(20), () -> Files.exists(jsonl));
        assertTrue(
                Files.readString(jsonl).contains("\"Identity\":\"=SUM(1+1)\""), "JSON Lines keep the value as it is");
    }

    @Test
    @Order(4)
    void metricsTrustAndEveryAdministrationPage() throws Exception {
        browser.get(console("#/metrics"));
        await(By.cssSelector("figure.chart svg circle"));
        assertTrue(text().contains("SuccessfulPushCount"), text());
        shot("08-metrics");
        accessible("metrics");

        browser.get(console("#/trust"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main .pager")));
        shot("09-trust");
        accessible("trust");

        for (String section :
                List.of("users", "public", "settings", "streams", "followers", "keys", "archive", "rejected")) {
            browser.get(console("#/admin/" + section));
            wait.until(ExpectedConditions.attributeToBe(
                    By.cssSelector("a[href='#/admin/" + section + "']"), "aria-current", "page"));
            wait.until(d -> d.findElement(By.id("status")).getText().isEmpty()
                    || d.findElement(By.id("status")).getText().equals("Done."));
            shot("10-admin-" + section);
            accessible("admin " + section);
        }
        assertTrue(text().contains("Rejected messages"), text());

        browser.get(console("#/admin/users"));
        wait.until(d -> text().contains(AUDITOR));
        assertTrue(text().contains("team/*"), text());

        browser.get(console("#/admin/archive"));
        WebElement verify =
                wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='Verify the archive']")));
        verify.click();
        wait.until(d -> text().contains("Verification"));
        shot("11-archive-verification");
    }

    @Test
    @Order(5)
    void anAuditorSeesOnlyTheirTeamAndNoAdministration() throws Exception {
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
        signIn(AUDITOR, AUDITOR_PASSWORD);
        WebElement rows = table();
        wait.until(d -> rows.getText().contains("team/app"));
        assertFalse(rows.getText().contains("other/secret"), rows.getText());
        assertFalse(
                browser.findElement(By.cssSelector("#menu [data-role=admin]")).isDisplayed(),
                "no administration in an auditor's menu");
        shot("12-auditor-repository-events");
        accessible("auditor repository events");

        browser.get(console("#/admin/users"));
        wait.until(d -> d.findElement(By.id("status")).getText().contains("admins only"));
        assertTrue(browser.findElements(By.cssSelector("main table")).isEmpty(), text());
        shot("13-auditor-no-administration");

        browser.get(console("#/query"));
        WebElement editor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("query")));
        editor.clear();
        editor.sendKeys("ContainerRegistryRepositoryEvents | summarize count() by Repository");
        browser.findElement(By.cssSelector("form.query button[type=submit]")).click();
        wait.until(d -> text().contains("team/app"));
        assertFalse(text().contains("other/secret"), "a query shows an auditor only what their reads show");
    }

    /**
     * The console renews its access token with the refresh token by itself (here after the API
     * refused a token, as it would an expired one), follows new events live as the registry sends
     * them, inside the auditor's access, and a sign-out ends the refresh token on the server.
     */
    @Test
    @Order(6)
    void theSessionRenewsItselfTheLiveTailShowsANewPushAndSignOutEndsIt() throws Exception {
        browser.get(console("#/logs/repository"));
        table();
        // a token the API refuses (its signature is no key's), as an expired one would be
        String refused = "eyJhbGciOiJSUzI1NiJ9."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(("{\"sub\":\"" + AUDITOR + "\",\"groups\":[\"auditor\"],\"exp\":"
                                        + (System.currentTimeMillis() / 1000 + 3600) + "}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + ".bm90LWEtc2lnbmF0dXJl";
        browser.executeScript("sessionStorage.setItem('registry-audit.token', arguments[0])", refused);
        browser.get(console("#/logs/login"));
        WebElement logins = table();
        wait.until(d -> logins.getText().contains(AUDITOR));
        Object renewed = browser.executeScript("return sessionStorage.getItem('registry-audit.token')");
        assertTrue(!refused.equals(renewed), "the console got a new token with its refresh token");

        browser.get(console("#/logs/repository?live=1"));
        wait.until(d -> d.findElement(By.cssSelector(".live-state")).getText().contains("following"));
        String host = registry.host();
        Path image = registry.buildImage("pushed while the console follows");
        registry.skopeo("copy", "oci:" + image + ":1.0", "docker://" + host + "/team/app:2.0");
        registry.skopeo("copy", "oci:" + image + ":1.0", "docker://" + host + "/other/secret:2.0");
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class) // rows are redrawn as events come
                .until(d -> d.findElements(By.cssSelector("main tbody tr")).stream()
                        .anyMatch(tr -> tr.getText().contains("team/app")
                                && tr.getText().contains("2.0")));
        registry.awaitQuietNotifications(Duration.ofSeconds(3));
        Thread.sleep(2000); // the tail's next polls, which would bring other/secret if it leaked
        assertFalse(text().contains("other/secret"), "a live tail shows an auditor only their team");
        assertEquals(
                "true",
                browser.findElement(By.xpath("//button[text()='Stop live']")).getAttribute("aria-pressed"));
        shot("14-auditor-live-tail");
        accessible("live tail");

        String refreshToken =
                (String) browser.executeScript("return sessionStorage.getItem('registry-audit.refresh-token')");
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
        ProductionST.await("the sign-out revoked the refresh token", Duration.ofSeconds(10), () -> {
            try {
                return stack.postForm(
                                        "/auth/token",
                                        "grant_type=refresh_token&client_id=st&refresh_token=" + refreshToken)
                                .statusCode()
                        == 400;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
