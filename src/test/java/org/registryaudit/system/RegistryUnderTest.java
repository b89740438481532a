package org.registryaudit.system;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import com.sun.net.httpserver.HttpServer;

/**
 * Debian's docker-registry 2.8.2, configured to notify Registry Audit's webhook (with the shared
 * secret; over TLS, trusting the stack's test CA) and, as the test's witness of what it sent, a second endpoint that only records; open,
 * or with {@code auth: token} against Registry Audit's token service. Images are built locally as
 * OCI layouts and moved with skopeo.
 */
final class RegistryUnderTest implements AutoCloseable {

    private final Path dir;
    private final int port = ProductionStack.freePort();
    private final HttpServer recorder;
    private final List<JsonObject> recorded = new ArrayList<>();
    private volatile long lastReceived = System.nanoTime();
    private final Process registry;
    private final ProductionStack stack;

    private RegistryUnderTest(ProductionStack stack, String name, String service) throws Exception {
        this.stack = stack;
        dir = stack.root().resolve(name);
        Files.createDirectories(dir);
        recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (recorded) {
                for (JsonValue event :
                        Json.createReader(new StringReader(body)).readObject().getJsonArray("events")) {
                    JsonObject e = event.asJsonObject();
                    if (recorded.stream().noneMatch(r -> r.getString("id").equals(e.getString("id")))) {
                        recorded.add(e);
                    }
                }
            }
            lastReceived = System.nanoTime();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        recorder.start();
        String auth = "";
        if (service != null) { // the token service's certificate, fetched as an administrator would
            Files.writeString(
                    dir.resolve("token-cert.pem"),
                    stack.get("/auth/certificate", null).body());
            auth = """
                    auth:
                      token:
                        realm: %s
                        service: %s
                        issuer: registry-audit
                        rootcertbundle: %s
                    """.formatted(stack.httpsUrl("/auth/token"), service, dir.resolve("token-cert.pem"));
        }
        String config = auth
                + """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                notifications:
                  endpoints:
                    - name: registry-audit
                      url: %s
                      headers:
                        X-Registry-Audit-Secret: [%s]
                      timeout: 2s
                      threshold: 5
                      backoff: 1s
                    - name: witness
                      url: http://127.0.0.1:%d/
                      timeout: 2s
                      threshold: 5
                      backoff: 1s
                """.formatted(
                                dir.resolve("storage"),
                                port,
                                stack.httpsUrl("/notifications"),
                                stack.dataFile("notification-secret"),
                                recorder.getAddress().getPort());
        Files.writeString(dir.resolve("config.yml"), config);
        ProcessBuilder serve = new ProcessBuilder(
                        "docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile());
        trustTestCa(serve);
        registry = serve.start();
        ProductionStack.awaitLog(dir.resolve("registry.log"), "listening on", Duration.ofSeconds(30));
    }

    /** A registry open to everyone. */
    static RegistryUnderTest start(ProductionStack stack) throws Exception {
        return new RegistryUnderTest(stack, "registry", null);
    }

    /** A registry with {@code auth: token} that delegates its logins to Registry Audit as {@code service}. */
    static RegistryUnderTest startWithTokenAuth(ProductionStack stack, String service) throws Exception {
        return new RegistryUnderTest(stack, "registry-token-auth", service);
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    Path dir() {
        return dir;
    }

    void skopeo(String... args) throws Exception {
        if (!trySkopeo(args)) {
            throw new IllegalStateException("skopeo " + String.join(" ", args) + " failed; see the logs in " + dir);
        }
    }

    /** {@code skopeo login} into a file of this user's own; empty if the registry refused the login. */
    Optional<String> login(String user, String password) throws Exception {
        Path authFile = dir.resolve("auth-" + user + ".json");
        return trySkopeo("login", "--authfile", authFile.toString(), "-u", user, "-p", password, host())
                ? Optional.of(authFile.toString())
                : Optional.empty();
    }

    /** Runs skopeo without TLS (the test registry is plain HTTP); false if it failed. */
    boolean trySkopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.add(args[0]);
        if (args[0].equals("copy")) {
            command.addAll(List.of("--src-tls-verify=false", "--dest-tls-verify=false"));
        } else {
            command.add("--tls-verify=false");
        }
        command.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder skopeo = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("skopeo-" + System.nanoTime() + ".log").toFile());
        trustTestCa(skopeo);
        return skopeo.start().waitFor() == 0;
    }

    /** Go programs (the registry, skopeo) trust the certificates of SSL_CERT_FILE: the stack's test CA. */
    private void trustTestCa(ProcessBuilder process) {
        process.environment()
                .put("SSL_CERT_FILE", stack.tlsDir().resolve("ca.pem").toString());
    }

    Path registryLog() {
        return dir.resolve("registry.log");
    }

    /** A one-layer OCI image layout tagged 1.0, built here with tar and gzip. */
    Path buildImage(String content) throws Exception {
        Path layout = dir.resolve("image");
        Path blobs = layout.resolve("blobs/sha256");
        Files.createDirectories(blobs);
        Path files = dir.resolve("rootfs");
        Files.createDirectories(files);
        Files.writeString(files.resolve("hello.txt"), content);
        Path tar = dir.resolve("layer.tar");
        ProductionStack.run(
                List.of(
                        "tar",
                        "--mtime=@0",
                        "--owner=0",
                        "--group=0",
                        "-cf",
                        tar.toString(),
                        "-C",
                        files.toString(),
                        "hello.txt"),
                dir.resolve("tar.log"));
        ProductionStack.run(List.of("gzip", "-n", "-k", "-f", tar.toString()), dir.resolve("gzip.log"));
        byte[] layer = Files.readAllBytes(dir.resolve("layer.tar.gz"));
        String layerDigest = blob(blobs, layer);
        String config = """
                {"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}""".formatted(sha256(Files.readAllBytes(tar)));
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configDigest = blob(blobs, configBytes);
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}""".formatted(configDigest, configBytes.length, layerDigest, layer.length);
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String manifestDigest = blob(blobs, manifestBytes);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"1.0"}}]}""".formatted(manifestDigest, manifestBytes.length));
        return layout;
    }

    private static String blob(Path blobs, byte[] data) throws Exception {
        String digest = sha256(data);
        Files.write(blobs.resolve(digest), data);
        return digest;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Every event the witness received, once nothing new has come for {@code quiet}. */
    List<JsonObject> awaitQuietNotifications(Duration quiet) throws InterruptedException {
        while (System.nanoTime() - lastReceived < quiet.toNanos()) {
            Thread.sleep(200);
        }
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        registry.destroy();
        registry.waitFor();
        recorder.stop(0);
    }
}
