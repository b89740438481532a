package org.registryaudit.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The production stack of README "Production", started for system tests: a fresh PostgreSQL
 * database on 127.0.0.1:5432, a standalone Artemis broker created from the distribution with the
 * project's broker.properties, and Payara Micro with the packaged RAR and WAR, booted from the
 * project's own server-config files; or, instead of Payara Micro, a Payara Server domain set up
 * with server-config/payara-server (README "Deploy to Payara Server"), or a WildFly server set up
 * with server-config/wildfly and its own messaging server in place of the standalone broker
 * (README "Deploy to WildFly"). Nothing is mocked.
 */
public final class ProductionStack implements AutoCloseable {

    static final String BROKER_USER = "audit";
    static final String BROKER_PASSWORD = "st-broker-secret";
    /** The service name of the registry that delegates its logins to the stack (auth.token.service). */
    static final String REGISTRY_SERVICE = "st-registry";

    private final Path root;
    private final Path artemisHome = Path.of("target", "apache-artemis-2.44.0").toAbsolutePath();
    private final Path runtime =
            Path.of(System.getProperty("runtime.dir", "target/runtime")).toAbsolutePath();
    private final Path serverConfig =
            Path.of(System.getProperty("server.config.dir", "server-config")).toAbsolutePath();
    private final Path war =
            Path.of(System.getProperty("war.file", "target/registry-audit.war")).toAbsolutePath();
    private final String database;
    static final String PG_HOST = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
    static final String PG_PORT = System.getenv().getOrDefault("PGPORT", "5432");
    static final String PG_USER = System.getenv().getOrDefault("PGUSER", "postgres");
    public final int httpPort;
    /** Payara Micro's HTTPS port, with a certificate for localhost and 127.0.0.1 from the test CA of {@link #tlsDir}. */
    public final int httpsPort = freePort();

    public final int brokerPort = freePort();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process broker;
    private Process server;
    private int serverStarts;

    private final Map<String, String> environment;
    /** The server's heap cap: 768 MB, or the environment entry {@value #HEAP} (for benchmarks). */
    static final String HEAP = "ST_SERVER_HEAP";

    /** The embedded defaults (H2, embedded broker) instead of PostgreSQL and a standalone broker. */
    private final boolean embedded;
    /** The full server the WAR runs on (Payara Server or WildFly), or null for Payara Micro. */
    private final FullServer full;

    private enum Runtime {
        MICRO,
        PAYARA_SERVER,
        WILDFLY
    }

    private ProductionStack(String database, Map<String, String> environment, boolean embedded, Runtime runtime) {
        this.database = database;
        this.root = Path.of("target", "st", database).toAbsolutePath();
        this.environment = environment;
        this.embedded = embedded;
        this.full = switch (runtime) {
            case MICRO -> null;
            case PAYARA_SERVER -> new PayaraServerDomain(root);
            case WILDFLY -> new WildFlyServer(root);
        };
        this.httpPort = full != null ? full.httpPort() : freePort();
    }

    /** The service as README "Run" starts it: embedded H2 and broker, state in its own root directory. */
    public static ProductionStack embedded(String name) throws Exception {
        ProductionStack stack = new ProductionStack(name, Map.of(), true, Runtime.MICRO);
        deleteRecursively(stack.root);
        Files.createDirectories(stack.root);
        return stack.startedOrClosed(stack::startServer);
    }

    /** A stack on a fresh PostgreSQL database of that name (dropped first if it exists). */
    public static ProductionStack start(String database) throws Exception {
        return start(database, Map.of());
    }

    /** The same, with more environment for the server (configuration keys as variables). */
    public static ProductionStack start(String database, Map<String, String> environment) throws Exception {
        ProductionStack stack = new ProductionStack(database, environment, false, Runtime.MICRO);
        return stack.startedOrClosed(stack::startAll);
    }

    /**
     * The same stack with a Payara Server domain in place of Payara Micro, set up by
     * server-config/payara-server/registry-audit.asadmin; the environment reaches the server process.
     */
    public static ProductionStack onPayaraServer(String database, Map<String, String> environment) throws Exception {
        ProductionStack stack = new ProductionStack(database, environment, false, Runtime.PAYARA_SERVER);
        return stack.startedOrClosed(stack::startAll);
    }

    /**
     * The same stack on a WildFly server set up by server-config/wildfly/registry-audit.cli, with
     * the queue in WildFly's own messaging server (no standalone broker); the environment reaches
     * the server process.
     */
    public static ProductionStack onWildFly(String database, Map<String, String> environment) throws Exception {
        ProductionStack stack = new ProductionStack(database, environment, false, Runtime.WILDFLY);
        return stack.startedOrClosed(stack::startAll);
    }

    private interface Start {
        void run() throws Exception;
    }

    /** A stack that did not come up is stopped at once, so no server of it outlives the failed test. */
    private ProductionStack startedOrClosed(Start start) throws Exception {
        try {
            start.run();
            return this;
        } catch (Exception | Error e) {
            try {
                close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void startAll() throws Exception {
        deleteRecursively(root);
        Files.createDirectories(root);
        createDatabase();
        if (full instanceof WildFlyServer wildFly) {
            wildFly.install(
                    runtime.resolve("eclipselink.jar"),
                    serverConfig.resolve("wildfly/eclipselink-module.xml"),
                    BROKER_USER,
                    BROKER_PASSWORD,
                    filled("registry-audit.cli", Files.readString(serverConfig.resolve("wildfly/registry-audit.cli"))),
                    environment);
            tlsKeystore();
            wildFly.cli(filled("tls.cli", Files.readString(serverConfig.resolve("wildfly/tls.cli"))));
            awaitReady(full::alive, full.log(), "WildFly", null);
            return;
        }
        startBroker();
        if (full instanceof PayaraServerDomain domain) {
            domain.install(
                    runtime.resolve("postgresql.jar"),
                    filled(
                            "registry-audit.asadmin",
                            Files.readString(serverConfig.resolve("payara-server/registry-audit.asadmin"))),
                    tlsKeystore().resolve("server.p12"),
                    KEYSTORE_PASSWORD,
                    serverConfig.resolve("payara-server/tls.asadmin"),
                    environment);
            awaitReady(full::alive, full.log(), "the Payara Server domain", null);
        } else {
            startServer();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether each of these ports can be bound now (a server is to take them all). */
    static boolean allFree(IntStream ports) {
        return ports.allMatch(port -> {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    public Connection jdbc() throws SQLException {
        return connect(database);
    }

    /** The single number a query answers (a count, a sum, a maximum). */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = jdbc();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** A connection to a database of this machine's PostgreSQL (PGHOST, PGPORT, PGUSER; trust auth). */
    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database, PG_USER, "");
    }

    /** A fresh, empty database of that name (dropped first if it exists). */
    static void recreateDatabase(String database) throws SQLException {
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    private void createDatabase() throws SQLException {
        recreateDatabase(database);
    }

    private void startBroker() throws Exception {
        Path home = artemisHome;
        Path instance = root.resolve("broker");
        run(
                List.of(
                        home.resolve("bin/artemis").toString(),
                        "create",
                        instance.toString(),
                        "--silent",
                        "--user",
                        BROKER_USER,
                        "--password",
                        BROKER_PASSWORD,
                        "--require-login",
                        "--host",
                        "127.0.0.1",
                        "--default-port",
                        String.valueOf(brokerPort),
                        "--no-amqp-acceptor",
                        "--no-stomp-acceptor",
                        "--no-hornetq-acceptor",
                        "--no-mqtt-acceptor",
                        "--no-web"),
                root.resolve("broker-create.log"));
        Files.copy(
                serverConfig.resolve("artemis/broker.properties"),
                instance.resolve("etc/broker.properties"),
                StandardCopyOption.REPLACE_EXISTING);
        broker = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("broker.log").toFile())
                .start();
        awaitLog(root.resolve("broker.log"), "AMQ221007", Duration.ofSeconds(60));
    }

    /** The post-boot file exactly as README "Production" makes it: defaults plus the filled-in template. */
    private Path bootFile() throws IOException {
        String template = Files.readString(serverConfig.resolve("payara/defaults.asadmin"))
                + (embedded
                        ? ""
                        : Files.readString(serverConfig.resolve("payara/postgresql.asadmin"))
                                + Files.readString(serverConfig.resolve("payara/artemis.asadmin"))
                                // production serves TLS, plain HTTP on loopback only (README step 4)
                                + Files.readString(serverConfig.resolve("payara/tls.asadmin")));
        return filled("boot.asadmin", template);
    }

    /** The template with its ${...} values filled in, as envsubst would, written to a file of the root. */
    private Path filled(String fileName, String template) throws IOException {
        Map<String, String> values = Map.ofEntries(
                Map.entry("REGISTRY_AUDIT_DB_USER", PG_USER),
                Map.entry("REGISTRY_AUDIT_DB_PASSWORD", "unused-trust-auth"),
                Map.entry("REGISTRY_AUDIT_DB_HOST", PG_HOST),
                Map.entry("REGISTRY_AUDIT_DB_PORT", PG_PORT),
                Map.entry("REGISTRY_AUDIT_DB_NAME", database),
                Map.entry("REGISTRY_AUDIT_BROKER_HOST", "127.0.0.1"),
                Map.entry("REGISTRY_AUDIT_BROKER_PORT", String.valueOf(brokerPort)),
                Map.entry("REGISTRY_AUDIT_BROKER_USER", BROKER_USER),
                Map.entry("REGISTRY_AUDIT_BROKER_PASSWORD", BROKER_PASSWORD),
                Map.entry(
                        "REGISTRY_AUDIT_AUDIENCES",
                        "registry-audit," + REGISTRY_SERVICE + "," + NotaryUnderTest.SERVICE),
                Map.entry(
                        "REGISTRY_AUDIT_RAR", runtime.resolve("artemis-ra.rar").toString()),
                Map.entry(
                        "REGISTRY_AUDIT_PG_JAR",
                        runtime.resolve("postgresql.jar").toString()),
                Map.entry("REGISTRY_AUDIT_WAR", war.toString()),
                Map.entry(
                        "REGISTRY_AUDIT_TLS_KEYSTORE",
                        tlsDir().resolve("server.p12").toString()),
                Map.entry("REGISTRY_AUDIT_TLS_PASSWORD", KEYSTORE_PASSWORD));
        Matcher variable = Pattern.compile("\\$\\{(\\w+)}").matcher(template);
        Path file = root.resolve(fileName);
        Files.writeString(file, variable.replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1)))));
        return file;
    }

    /** The WAR every server of the tests runs: the very file the build produced. */
    public Path war() {
        return war;
    }

    public void startServer() throws Exception {
        long started = System.nanoTime();
        if (full != null) {
            full.start(environment);
            awaitReady(full::alive, full.log(), serverName(), null);
        } else {
            startMicro();
        }
        long pid = full != null ? full.pid() : server.pid();
        System.out.printf(
                "%s started: ready in %.1f s, resident memory %s after start%n",
                serverName(),
                (System.nanoTime() - started) / 1e9,
                Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:"))
                        .map(l -> l.substring(6).trim())
                        .findFirst()
                        .orElse("?"));
    }

    private void startMicro() throws Exception {
        serverStarts++;
        Path log = root.resolve("payara-" + serverStarts + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        "java",
                        "-Xmx" + environment.getOrDefault(HEAP, "768m"),
                        "-jar",
                        runtime.resolve("payara-micro.jar").toString(),
                        "--nocluster",
                        "--prebootcommandfile",
                        serverConfig.resolve("payara/preboot.asadmin").toString(),
                        "--systemproperties",
                        systemProperties().toString(),
                        "--sslPort",
                        String.valueOf(httpsPort),
                        "--sslCert",
                        TLS_ALIAS,
                        "--rootdir",
                        root.resolve("payara").toString(),
                        "--port",
                        String.valueOf(httpPort),
                        "--logproperties",
                        serverConfig.resolve("payara/logging.properties").toString(),
                        "--postbootcommandfile",
                        bootFile().toString(),
                        "--addlibs",
                        runtime.resolve("postgresql.jar").toString(),
                        "--deploy",
                        runtime.resolve("artemis-ra.rar").toString(),
                        "--deploy",
                        war.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("REGISTRY_AUDIT_BROKER_USER", BROKER_USER);
        builder.environment().put("REGISTRY_AUDIT_BROKER_PASSWORD", BROKER_PASSWORD);
        builder.environment().put("MP_JWT_VERIFY_AUDIENCES", "registry-audit," + REGISTRY_SERVICE);
        builder.environment().putAll(environment);
        server = builder.start();
        // on a restart Payara Micro first loads the application it kept in the root directory,
        // then deploys the --deploy one over it: only "ready" means the final one is up
        awaitReady(server::isAlive, log, "Payara Micro", ") ready in ");
    }

    static final String TLS_ALIAS = "registry-audit";
    private static final String KEYSTORE_PASSWORD = "st-keystore-secret";

    /** The test CA ({@code ca.pem}) and the server's key and certificate ({@code server.p12}). */
    public Path tlsDir() {
        return root.resolve("tls");
    }

    /**
     * server-config/payara/system.properties and the TLS lines README "Production" adds to it: the
     * operator's key and certificate as a PKCS #12 keystore, which Payara Micro's HTTPS listener
     * ({@code --sslPort}, {@code --sslCert} naming the alias) serves.
     */
    private Path systemProperties() throws Exception {
        Path tls = tlsKeystore();
        Path file = root.resolve("system.properties");
        Files.writeString(
                file,
                Files.readString(serverConfig.resolve("payara/system.properties"))
                        + "\njavax.net.ssl.keyStore=" + tls.resolve("server.p12")
                        + "\njavax.net.ssl.keyStorePassword=" + KEYSTORE_PASSWORD
                        + "\njavax.net.ssl.keyStoreType=PKCS12\n");
        return file;
    }

    /** The test CA, and the server's key and certificate as the PKCS #12 file an operator would have. */
    private Path tlsKeystore() throws Exception {
        Path tls = tlsDir();
        if (!Files.exists(tls.resolve("server.p12"))) {
            SyslogCollector.makeCertificates(tls);
            run(
                    List.of(
                            "openssl",
                            "pkcs12",
                            "-export",
                            "-in",
                            tls.resolve("server.pem").toString(),
                            "-inkey",
                            tls.resolve("server.key").toString(),
                            "-certfile",
                            tls.resolve("ca.pem").toString(),
                            "-name",
                            TLS_ALIAS,
                            "-passout",
                            "pass:" + KEYSTORE_PASSWORD,
                            "-out",
                            tls.resolve("server.p12").toString()),
                    tls.resolve("openssl.log"));
        }
        return tls;
    }

    /** An https URL of the service: every server of the tests serves TLS with a certificate of the test CA. */
    public URI httpsUrl(String path) {
        return URI.create("https://127.0.0.1:" + (full != null ? full.httpsPort() : httpsPort) + path);
    }

    private String serverName() {
        return full instanceof WildFlyServer ? "WildFly" : full != null ? "Payara Server" : "Payara Micro";
    }

    /** Until the service's health names its database (and the log has readyLine, unless null). */
    private void awaitReady(Supplier<Boolean> alive, Path log, String what, String readyLine) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.get()) {
                throw new IllegalStateException(what + " exited; see " + log);
            }
            try {
                URI url = URI.create("http://127.0.0.1:" + (full != null ? full.healthPort() : httpPort) + "/health");
                HttpResponse<String> health =
                        http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200
                        && health.body().contains("\"database\"")
                        && (readyLine == null
                                || Files.readString(log, StandardCharsets.ISO_8859_1)
                                        .contains(readyLine))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(what + " not ready in 180 s; see " + log);
    }

    /** kill -9: no shutdown hook, no transaction gets to finish. */
    public void killServer() throws Exception {
        if (full != null) {
            full.kill();
            return;
        }
        server.destroyForcibly();
        server.waitFor();
    }

    /** The service's Prometheus figures, from wherever the server publishes them. */
    public HttpResponse<String> metrics() throws Exception {
        URI metrics = full != null ? full.metrics() : url("/metrics");
        return http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** The broker's URL for a JMS producer: the standalone broker, or WildFly's messaging over its HTTP port. */
    public String brokerUrl() {
        return full instanceof WildFlyServer
                ? "tcp://127.0.0.1:" + httpPort + "?httpUpgradeEnabled=true&enable1xPrefixes=true"
                : "tcp://127.0.0.1:" + brokerPort;
    }

    public String dataFile(String name) throws IOException {
        return Files.readString(dataDirectory().resolve(name)).trim();
    }

    /** The service's data directory (registry-audit under the server's instance root). */
    public Path dataDirectory() {
        return full != null ? full.dataDirectory() : root.resolve("payara/registry-audit");
    }

    /** The administrator's password: configured (REGISTRY_AUDIT_ADMIN_PASSWORD), or the one the service generated. */
    public String adminPassword() throws IOException {
        String configured = environment.get("REGISTRY_AUDIT_ADMIN_PASSWORD");
        return configured != null ? configured : dataFile("admin-password");
    }

    public String adminToken() throws Exception {
        return tokenOf(getWithBasic("/auth/token", "admin", adminPassword()).body());
    }

    /** A GET with HTTP Basic credentials. */
    public HttpResponse<String> getWithBasic(String path, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(url(path))
                        .header("Authorization", "Basic " + basic)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String tokenOf(String body) {
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("no token: " + body);
        }
        return token.group(1);
    }

    public HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String json, String token) throws Exception {
        return send("PUT", path, json, token);
    }

    public HttpResponse<String> post(String path, String json, String token) throws Exception {
        return send("POST", path, json, token);
    }

    /** A POST of an HTML form's fields, as the token service's OAuth2 form takes them. */
    public HttpResponse<String> postForm(String path, String form) throws Exception {
        return http.send(
                HttpRequest.newBuilder(url(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(url(path))
                        .header("Authorization", "Bearer " + token)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(url(path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every log the server wrote, one string per file. */
    public List<String> serverLogs() throws IOException {
        List<String> logs = new ArrayList<>();
        if (full != null) {
            try (var files = Files.list(full.log().getParent())) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("server.log"))
                        .toList()) {
                    logs.add(Files.readString(file, StandardCharsets.ISO_8859_1));
                }
            }
            return logs;
        }
        for (int i = 1; i <= serverStarts; i++) {
            logs.add(Files.readString(root.resolve("payara-" + i + ".log"), StandardCharsets.ISO_8859_1));
        }
        return logs;
    }

    /**
     * The TCP ports the server process listens on with a wildcard address (every interface), read
     * from /proc: the sockets of /proc/PID/fd matched with the LISTEN lines of /proc/net/tcp{,6}.
     */
    public List<Integer> wildcardListeners() throws IOException {
        List<String> inodes = new ArrayList<>();
        long pid = full != null ? full.pid() : server.pid();
        try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Matcher socket = Pattern.compile("socket:\\[(\\d+)]")
                            .matcher(Files.readSymbolicLink(fd).toString());
                    if (socket.matches()) {
                        inodes.add(socket.group(1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+"); // sl, local address, remote, state, …, inode (10th)
                String[] local = f[1].split(":");
                if (f[3].equals("0A")
                        && inodes.contains(f[9])
                        && local[0].chars().allMatch(c -> c == '0')) {
                    ports.add(Integer.parseInt(local[1], 16));
                }
            }
        }
        return ports;
    }

    public Path artemisHome() {
        return artemisHome;
    }

    public Path root() {
        return root;
    }

    static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    static void awaitLog(Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)
                    && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("'" + text + "' did not appear in " + log);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(path)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }

    @Override
    public void close() throws Exception {
        if (full != null && full.alive()) {
            full.stop();
        }
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor();
        }
    }
}
