package org.registryaudit.changefeed.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.changefeed.entity.TrustChangeRecord;
import org.registryaudit.platform.control.TlsTrust;

/**
 * Reads a Notary server's changefeed, {@code GET /v2/_trust/changefeed?change_id=…&records=…}. A
 * server with token auth answers 401 with a {@code Bearer realm=…,service=…,scope=…} challenge;
 * the client then asks that realm for a token with its credentials (the Docker token protocol)
 * and keeps it until shortly before it expires.
 */
public class NotaryClient {

    static final String USER_AGENT = "registry-audit-notary-follower";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** What one read returned: the changes, oldest first, as records of this service. */
    public record Page(List<TrustChangeRecord> changes, List<String> ids) {}

    private final NotaryServer server;
    private final HttpClient http;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    public NotaryClient(NotaryServer server) {
        this.server = server;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        server.caFile().ifPresent(file -> builder.sslContext(trusting(Path.of(file))));
        this.http = builder.build();
    }

    public Page read(String cursor, int records) throws IOException, InterruptedException {
        URI uri = URI.create(server.url() + "/v2/_trust/changefeed?change_id="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8) + "&records=" + records);
        HttpResponse<String> response =
                get(uri, token != null && Instant.now().isBefore(tokenExpires) ? "Bearer " + token : null);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            fetchToken(challenge);
            response = get(uri, "Bearer " + token);
        }
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ": " + abbreviated(response.body()));
        }
        return page(response.body());
    }

    Page page(String body) {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            json = reader.readObject();
        }
        List<TrustChangeRecord> changes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        // a caught-up notary-server answers an empty page with "records": null (Go's nil slice)
        JsonValue records = json.getOrDefault("records", JsonValue.NULL);
        for (JsonValue value : records.getValueType() == JsonValue.ValueType.ARRAY
                ? records.asJsonArray()
                : JsonValue.EMPTY_JSON_ARRAY) {
            JsonObject record = value.asJsonObject();
            String id = record.getString("ID");
            String category = record.getString("Category");
            String sha256 = record.getString("SHA256", "");
            changes.add(new TrustChangeRecord(
                    "notary:" + server.name() + ":" + id,
                    OffsetDateTime.parse(record.getString("CreatedAt")).toInstant(),
                    record.getString("GUN"),
                    record.getInt("Version"),
                    TrustChange.DELETION.equals(category) || sha256.isEmpty() ? null : sha256,
                    category,
                    server.name()));
            ids.add(id);
        }
        return new Page(changes, ids);
    }

    private HttpResponse<String> get(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void fetchToken(String challenge) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6) || !params.containsKey("realm")) {
            throw new IOException(
                    server.url() + " asks for authentication this follower cannot give: '" + challenge + "'");
        }
        if (server.username().isEmpty()) {
            throw new IOException(server.url() + " requires a token; set registry-audit.notary." + server.name()
                    + ".username and .password");
        }
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> {
            if (!name.equals("realm")) {
                query.append(query.isEmpty() ? "?" : "&")
                        .append(name)
                        .append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        String basic = Base64.getEncoder()
                .encodeToString(
                        (server.username().get() + ":" + server.password().orElse(""))
                                .getBytes(StandardCharsets.UTF_8));
        Instant asked = Instant.now();
        HttpResponse<String> response = get(URI.create(params.get("realm") + query), "Basic " + basic);
        if (response.statusCode() != 200) {
            throw new IOException("the token service " + params.get("realm") + " refused "
                    + server.username().get() + ": " + response.statusCode() + " " + abbreviated(response.body()));
        }
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            json = reader.readObject();
        }
        token = json.containsKey("token") ? json.getString("token") : json.getString("access_token");
        long lifetime = json.containsKey("expires_in")
                ? json.getJsonNumber("expires_in").longValue()
                : 60;
        tokenExpires = asked.plusSeconds(Math.max(0, lifetime - 10));
    }

    private static String abbreviated(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            return TlsTrust.trusting(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the CA certificates in " + caFile + ": " + e.getMessage(), e);
        }
    }
}
