package org.registryaudit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ITs' HTTP client of the deployed service: requests, tokens, and the files of its data directory. */
public final class ApiClient {

    private final HttpClient http;
    private final String base;

    public ApiClient(URL base) {
        this(base, HttpClient.Version.HTTP_2);
    }

    public ApiClient(URL base, HttpClient.Version version) {
        this.base = base.toString().replaceAll("/$", "");
        this.http = HttpClient.newBuilder().version(version).build();
    }

    public static String dataFile(String name) throws Exception {
        return Files.readString(dataDirectory().resolve(name)).trim();
    }

    public static Path dataDirectory() {
        return Path.of("target/it-data/registry-audit");
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String token) throws Exception {
        return send(request(path).header("Authorization", "Bearer " + token));
    }

    public HttpResponse<String> post(String path, String token, String json) throws Exception {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(token == null ? request : request.header("Authorization", "Bearer " + token));
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A token from /auth/token, failing the test unless it is issued. */
    public String token(String user, String password, String query) throws Exception {
        HttpResponse<String> response =
                send(request("/auth/token" + query).header("Authorization", basic(user, password)));
        assertEquals(200, response.statusCode(), response.body());
        return tokenOf(response.body());
    }

    public String adminToken() throws Exception {
        return token("admin", dataFile("admin-password"), "?service=registry-audit");
    }

    public static String tokenOf(String body) {
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new AssertionError("no token in " + body);
        }
        return token.group(1);
    }
}
