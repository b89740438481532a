package org.registryaudit.system;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's rsyslog as a SIEM's collector: one rsyslogd listening with imtcp, over TLS (gtls, with
 * a certificate from a test CA made with openssl) or plain TCP, writing every message it receives,
 * as received, one per line into a file that the test reads back.
 */
final class SyslogCollector implements AutoCloseable {

    final Path dir;
    final int port;
    final boolean tls;
    private Process process;

    private SyslogCollector(Path dir, int port, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
    }

    /** The test CA and a certificate for localhost and 127.0.0.1, in {@code dir}. */
    static void makeCertificates(Path dir) throws Exception {
        Files.createDirectories(dir);
        ProductionStack.run(
                List.of(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=Registry Audit test CA",
                        "-keyout",
                        dir.resolve("ca.key").toString(),
                        "-out",
                        dir.resolve("ca.pem").toString()),
                dir.resolve("openssl.log"));
        ProductionStack.run(
                List.of(
                        "openssl",
                        "req",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=localhost",
                        "-keyout",
                        dir.resolve("server.key").toString(),
                        "-out",
                        dir.resolve("server.csr").toString()),
                dir.resolve("openssl.log"));
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        ProductionStack.run(
                List.of(
                        "openssl",
                        "x509",
                        "-req",
                        "-in",
                        dir.resolve("server.csr").toString(),
                        "-CA",
                        dir.resolve("ca.pem").toString(),
                        "-CAkey",
                        dir.resolve("ca.key").toString(),
                        "-CAcreateserial",
                        "-days",
                        "2",
                        "-extfile",
                        dir.resolve("san.ext").toString(),
                        "-out",
                        dir.resolve("server.pem").toString()),
                dir.resolve("openssl.log"));
    }

    static SyslogCollector start(Path dir, int port, boolean tls, Path certificates) throws Exception {
        return start(dir, port, tls, certificates, false);
    }

    /**
     * @param stamped each line starts with the time rsyslog received the message (RFC 3339, in
     *        microseconds) and a space, for the benchmark's delivery lag
     */
    static SyslogCollector start(Path dir, int port, boolean tls, Path certificates, boolean stamped) throws Exception {
        SyslogCollector collector = new SyslogCollector(dir, port, tls);
        Files.createDirectories(dir);
        String global = "global(workDirectory=\"" + dir + "\" maxMessageSize=\"64k\""
                + (tls
                        ? " defaultNetstreamDriver=\"gtls\" defaultNetstreamDriverCAFile=\""
                                + certificates.resolve("ca.pem") + "\" defaultNetstreamDriverCertFile=\""
                                + certificates.resolve("server.pem") + "\" defaultNetstreamDriverKeyFile=\""
                                + certificates.resolve("server.key") + "\""
                        : "")
                + ")\n";
        String module = tls
                ? "module(load=\"imtcp\" streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")\n"
                : "module(load=\"imtcp\")\n";
        Files.writeString(
                dir.resolve("rsyslog.conf"),
                global + module
                        + "template(name=\"raw\" type=\"string\" string=\""
                        + (stamped ? "%timegenerated:::date-rfc3339% " : "") + "%rawmsg%\\n\")\n"
                        + "ruleset(name=\"in\") { action(type=\"omfile\" file=\"" + collector.messages()
                        + "\" template=\"raw\" asyncWriting=\"off\" flushOnTXEnd=\"on\") }\n"
                        + "input(type=\"imtcp\" port=\"" + port + "\" ruleset=\"in\")\n");
        collector.startProcess();
        return collector;
    }

    Path messages() {
        return dir.resolve("messages.log");
    }

    List<String> lines() throws IOException {
        return Files.exists(messages()) ? Files.readAllLines(messages()) : List.of();
    }

    void startProcess() throws Exception {
        Files.deleteIfExists(dir.resolve("rsyslogd.pid"));
        process = new ProcessBuilder(
                        "rsyslogd",
                        "-n",
                        "-f",
                        dir.resolve("rsyslog.conf").toString(),
                        "-i",
                        dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("rsyslogd ended: " + Files.readString(dir.resolve("rsyslogd.out")));
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("rsyslogd is not listening on " + port);
    }

    /** Stops the collector as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
