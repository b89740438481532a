package org.registryaudit.system;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Debian's notary-server 0.7.0 (package {@code notary}) on PostgreSQL, with TLS from a test CA
 * and token auth delegated to the Registry Audit under test, plus the {@code notary} client that
 * publishes and deletes trust data on it. Nothing about it is simulated.
 */
public final class NotaryUnderTest implements AutoCloseable {

    public static final String SERVICE = "st-notary";
    static final Path SCHEMA = Path.of("src/test/resources/notary-server/schema.sql");

    private final Path dir;
    private final int port = ProductionStack.freePort();
    private final String database;
    private Process server;
    private HttpClient http;

    private NotaryUnderTest(Path dir, String database) {
        this.dir = dir;
        this.database = database;
    }

    /** A test CA and a server certificate for 127.0.0.1 and localhost, written as PEM files. */
    public static NotaryUnderTest prepare(Path dir, String database) throws Exception {
        NotaryUnderTest notary = new NotaryUnderTest(dir, database);
        ProductionStack.deleteRecursively(dir); // the client's trust data of an earlier run would not match
        Files.createDirectories(dir);
        notary.writeCertificates();
        return notary;
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** Starts notary-server on a fresh database, trusting tokens of the given Registry Audit. */
    public void start(ProductionStack audit) throws Exception {
        createDatabase();
        Path rootCerts = dir.resolve("registry-audit-certs.pem");
        Files.writeString(
                rootCerts,
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(audit.url("/auth/certificate"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        String config = """
                {"server": {"http_addr": "127.0.0.1:%d", "tls_cert_file": "%s", "tls_key_file": "%s"},
                 "trust_service": {"type": "local"},
                 "logging": {"level": "info"},
                 "storage": {"backend": "postgres", "db_url": "postgres://%s@%s:%s/%s?sslmode=disable"},
                 "auth": {"type": "token", "options": {"realm": "%s", "service": "%s", "issuer": "registry-audit",
                          "rootcertbundle": "%s"}}}""".formatted(
                        port,
                        dir.resolve("server.pem"),
                        dir.resolve("server-key.pem"),
                        ProductionStack.PG_USER,
                        ProductionStack.PG_HOST,
                        ProductionStack.PG_PORT,
                        database,
                        audit.url("/auth/token"),
                        SERVICE,
                        rootCerts);
        Path configFile = dir.resolve("server.json");
        Files.writeString(configFile, config);
        Path log = dir.resolve("notary-server.log");
        server = new ProcessBuilder("notary-server", "-config", configFile.toString(), "-logf", "logfmt")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ProductionStack.awaitLog(log, "Starting on", Duration.ofSeconds(30));
    }

    private void createDatabase() throws Exception {
        ProductionStack.recreateDatabase(database);
        try (Connection c = jdbc();
                Statement s = c.createStatement()) {
            s.execute(Files.readString(SCHEMA));
        }
    }

    public Connection jdbc() throws Exception {
        return ProductionStack.connect(database);
    }

    /** Runs the notary client as the given user; fails on a non-zero exit. */
    public String client(String user, String password, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "notary",
                "-s",
                url(),
                "--tlscacert",
                caFile().toString(),
                "-d",
                dir.resolve("trust").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put(
                "NOTARY_AUTH",
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        env.put("NOTARY_ROOT_PASSPHRASE", "st-root-passphrase");
        env.put("NOTARY_TARGETS_PASSPHRASE", "st-targets-passphrase");
        env.put("NOTARY_SNAPSHOT_PASSPHRASE", "st-snapshot-passphrase");
        env.put("NOTARY_DELEGATION_PASSPHRASE", "st-delegation-passphrase");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    /** A page of notary-server's own changefeed, read with a token from Registry Audit. */
    public List<JsonObject> feed(ProductionStack audit, String user, String password, String gun, String query)
            throws Exception {
        String scope = gun == null ? "registry:catalog:*" : "repository:" + gun + ":pull";
        String token = ProductionStack.tokenOf(audit.getWithBasic(
                        "/auth/token?service=" + SERVICE + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8),
                        user,
                        password)
                .body());
        String path = gun == null ? "/v2/_trust/changefeed" : "/v2/" + gun + "/_trust/changefeed";
        HttpResponse<String> response = https().send(
                        HttpRequest.newBuilder(URI.create(url() + path + query))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("notary-server answered " + response.statusCode() + ": " + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readObject().getJsonArray("records").stream()
                .map(JsonValue::asJsonObject)
                .toList();
    }

    private HttpClient https() throws Exception {
        if (http == null) {
            http = HttpClient.newBuilder().sslContext(sslContext()).build();
        }
        return http;
    }

    /** TLS that trusts the test CA only. */
    public SSLContext sslContext() throws Exception {
        {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            try (var in = Files.newInputStream(caFile())) {
                trusted.setCertificateEntry(
                        "ca",
                        java.security.cert.CertificateFactory.getInstance("X.509")
                                .generateCertificate(in));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        }
    }

    private void writeCertificates() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair caKey = generator.generateKeyPair();
        KeyPair serverKey = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=Registry Audit ST CA");
        var ca = new JcaX509v3CertificateBuilder(
                        caName,
                        BigInteger.ONE,
                        Date.from(now.minusSeconds(3600)),
                        Date.from(now.plus(Duration.ofDays(2))),
                        caName,
                        caKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate caCert = new JcaX509CertificateConverter()
                .getCertificate(ca.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        var leaf = new JcaX509v3CertificateBuilder(
                        caName,
                        BigInteger.TWO,
                        Date.from(now.minusSeconds(3600)),
                        Date.from(now.plus(Duration.ofDays(2))),
                        new X500Name("CN=127.0.0.1"),
                        serverKey.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")
                }))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        X509Certificate serverCert = new JcaX509CertificateConverter()
                .getCertificate(leaf.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        Files.writeString(caFile(), pem(caCert));
        Files.writeString(dir.resolve("server.pem"), pem(serverCert));
        Files.writeString(
                dir.resolve("server-key.pem"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(serverKey.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }
}
