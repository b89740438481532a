package org.registryaudit.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A Payara Server domain of the distribution from Maven Central (unpacked to target/payara6),
 * created fresh under a test's root directory and driven with asadmin, step by step as README
 * "Deploy to Payara Server" tells an administrator: create and start the domain, add the
 * PostgreSQL driver, restart, apply server-config/payara-server/registry-audit.asadmin.
 */
final class PayaraServerDomain implements FullServer {

    static final String NAME = "registry-audit";

    private final Path asadmin = Path.of("target", "payara6", "bin", "asadmin").toAbsolutePath();
    private final Path domains;
    private final Path root;
    private final int portBase = freePortBase();
    final int adminPort = portBase + 48;
    final int httpPort = portBase + 80;
    final int httpsPort = portBase + 81;
    /** create-domain's master password when none is given: the domain keystore's and its keys' password. */
    private static final String MASTER_PASSWORD = "changeit";

    private int commands;

    PayaraServerDomain(Path root) {
        this.root = root;
        this.domains = root.resolve("domains");
    }

    /** A base whose hundred ports are all free: the domain takes base+48 (admin), +80 (HTTP) and others. */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ProductionStack.freePort() / 100 * 100;
            if (base + 100 < 65536 && ProductionStack.allFree(IntStream.range(base, base + 100))) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of 100 ports");
    }

    /**
     * The administrator's whole sequence, up to the deployed application, with the TLS steps of
     * server-config/payara-server/tls.asadmin: the key of {@code tlsKeystore} imported into the
     * domain's keystore while it is stopped, then named as the https listener's certificate.
     */
    void install(
            Path driver,
            Path script,
            Path tlsKeystore,
            String tlsPassword,
            Path tlsScript,
            Map<String, String> environment)
            throws Exception {
        run(
                List.of(
                        "--user",
                        "admin",
                        "create-domain",
                        "--nopassword=true",
                        "--portbase",
                        String.valueOf(portBase),
                        "--domaindir",
                        domains.toString(),
                        NAME),
                Map.of());
        ProductionStack.run(
                List.of(
                        "keytool",
                        "-importkeystore",
                        "-noprompt",
                        "-srckeystore",
                        tlsKeystore.toString(),
                        "-srcstoretype",
                        "PKCS12",
                        "-srcstorepass",
                        tlsPassword,
                        "-srcalias",
                        ProductionStack.TLS_ALIAS,
                        "-destkeystore",
                        dir().resolve("config/keystore.p12").toString(),
                        "-deststoretype",
                        "PKCS12",
                        "-deststorepass",
                        MASTER_PASSWORD,
                        "-destkeypass",
                        MASTER_PASSWORD),
                root.resolve("keytool.log"));
        start(environment);
        admin("add-library", driver.toString());
        admin("multimode", "--file", tlsScript.toString());
        stop(); // restart-domain, in two steps: it looks for the domain in the installation's own domains
        start(environment);
        admin("multimode", "--file", script.toString());
    }

    /** http-listener-2, with the certificate tls.asadmin names. */
    @Override
    public int httpsPort() {
        return httpsPort;
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public int healthPort() {
        return httpPort;
    }

    @Override
    public URI metrics() {
        return URI.create("http://127.0.0.1:" + httpPort + "/metrics");
    }

    /** start-domain; the server process inherits this environment (configuration keys as variables). */
    @Override
    public void start(Map<String, String> environment) throws Exception {
        run(List.of("start-domain", "--domaindir", domains.toString(), NAME), environment);
    }

    /** asadmin against the running domain's admin port. */
    void admin(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("--port", String.valueOf(adminPort)));
        command.addAll(List.of(arguments));
        run(command, Map.of());
    }

    private void run(List<String> arguments, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", asadmin.toString())); // unpacked without its mode bits
        command.addAll(arguments);
        Path log = root.resolve("asadmin-" + ++commands + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (process.waitFor() != 0 || Files.readString(log).contains("failed.")) {
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    @Override
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(dir().resolve("config/pid")).trim());
    }

    @Override
    public void kill() throws Exception {
        ProcessHandle server = ProcessHandle.of(pid()).orElseThrow();
        server.destroyForcibly();
        server.onExit().get();
    }

    @Override
    public boolean alive() {
        try {
            return ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void stop() throws Exception {
        if (Files.exists(dir().resolve("config/pid"))) {
            run(List.of("stop-domain", "--domaindir", domains.toString(), NAME), Map.of());
        }
    }

    Path dir() {
        return domains.resolve(NAME);
    }

    @Override
    public Path dataDirectory() {
        return dir().resolve("registry-audit");
    }

    @Override
    public Path log() {
        return dir().resolve("logs/server.log");
    }
}
