package org.registryaudit.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WildFly standalone-full server from the distribution on Maven Central (unpacked to
 * target/wildfly-39.0.1.Final), copied fresh under a test's root directory and set up step by step
 * as README "Deploy to WildFly" tells an administrator: EclipseLink into its persistence module,
 * the broker's application user, start, then server-config/wildfly/registry-audit.cli.
 */
final class WildFlyServer implements FullServer {

    private static final String DISTRIBUTION = "wildfly-39.0.1.Final";
    /** What standalone-full listens on, before the offset. */
    private static final int[] PORTS = {8080, 8443, 9990, 9993, 8009, 3528, 3529, 4712, 4713};

    private final Path home;
    private final Path root;
    private final int offset = freeOffset();
    final int httpPort = 8080 + offset;
    final int managementPort = 9990 + offset;
    final int httpsPort = 8443 + offset;
    private Process process;
    private int commands;

    WildFlyServer(Path root) {
        this.root = root;
        this.home = root.resolve(DISTRIBUTION);
    }

    private static int freeOffset() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(100, 500) * 100;
            if (ProductionStack.allFree(Arrays.stream(PORTS).map(port -> port + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("no port offset with all of standalone-full's ports free");
    }

    /** The administrator's whole sequence, up to the deployed application. */
    void install(
            Path eclipseLink,
            Path moduleXml,
            String user,
            String password,
            Path script,
            Map<String, String> environment)
            throws Exception {
        ProductionStack.run(
                List.of(
                        "cp",
                        "-a",
                        Path.of("target", DISTRIBUTION).toAbsolutePath().toString(),
                        root.toString()),
                root.resolve("copy.log"));
        Path module = home.resolve("modules/system/layers/base/org/eclipse/persistence/main");
        Files.copy(eclipseLink, module.resolve("eclipselink-4.0.8.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(moduleXml, module.resolve("module.xml"), StandardCopyOption.REPLACE_EXISTING);
        tool("add-user.sh", List.of("-a", "-u", user, "-p", password, "-g", "guest", "-s"));
        start(environment);
        awaitManagement();
        tool("jboss-cli.sh", cliArguments(script));
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    /** Set up by server-config/wildfly/tls.cli ({@link #cli}). */
    @Override
    public int httpsPort() {
        return httpsPort;
    }

    /** An administrator's further CLI script against the running server. */
    void cli(Path script) throws Exception {
        tool("jboss-cli.sh", cliArguments(script));
    }

    /** WildFly answers /health on its management interface. */
    @Override
    public int healthPort() {
        return managementPort;
    }

    /** The micrometer subsystem's Prometheus registry, on the management interface too. */
    @Override
    public URI metrics() {
        return URI.create("http://127.0.0.1:" + managementPort + "/prometheus");
    }

    /** standalone.sh with standalone-full; the server process inherits this environment. */
    @Override
    public void start(Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        "sh",
                        home.resolve("bin/standalone.sh").toString(),
                        "-c",
                        "standalone-full.xml",
                        "-Djboss.socket.binding.port-offset=" + offset)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        root.resolve("wildfly.out").toFile()));
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        builder.environment().put("JBOSS_PIDFILE", pidFile().toString());
        builder.environment().putAll(environment);
        process = builder.start();
    }

    private void awaitManagement() throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(log()) || !Files.readString(log()).contains("WFLYSRV0025")) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("WildFly did not start; see " + log());
            }
            Thread.sleep(200);
        }
    }

    /**
     * The CLI against this server, waiting up to a minute for the server to come back after a
     * reload (its default, about 6 s, ran out on a busy machine: "Failed to establish connection").
     */
    private List<String> cliArguments(Path script) {
        return List.of("--connect", "--controller=127.0.0.1:" + managementPort, "--timeout=60000", "--file=" + script);
    }

    private void tool(String name, List<String> arguments) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("sh", home.resolve("bin").resolve(name).toString()));
        command.addAll(arguments);
        Path log = root.resolve(name + "-" + ++commands + ".log");
        ProductionStack.run(command, log);
        String output = Files.readString(log);
        if (output.contains("\"outcome\" => \"failed\"") || output.contains("Exception")) {
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    private Path pidFile() {
        return root.resolve("wildfly.pid");
    }

    @Override
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(pidFile()).trim());
    }

    @Override
    public boolean alive() {
        try {
            return ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return process != null && process.isAlive();
        }
    }

    @Override
    public void kill() throws Exception {
        ProcessHandle server = ProcessHandle.of(pid()).orElseThrow();
        server.destroyForcibly();
        server.onExit().get();
        process.waitFor();
    }

    @Override
    public void stop() throws Exception {
        ProcessHandle.of(pid()).ifPresent(server -> {
            server.destroy(); // SIGTERM: WildFly shuts down gracefully
            server.onExit().join();
        });
        process.waitFor();
    }

    @Override
    public Path dataDirectory() {
        return home.resolve("standalone/data/registry-audit");
    }

    @Override
    public Path log() {
        return home.resolve("standalone/log/server.log");
    }
}
