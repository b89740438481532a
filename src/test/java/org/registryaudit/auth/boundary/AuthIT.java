package org.registryaudit.auth.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.registryaudit.ApiClient;
import org.registryaudit.auth.control.SigningKey;

/**
 * The token service in Payara Micro: registry tokens and what they grant, users and grants through
 * the admin API, access rules on the read APIs, forged tokens, and brute-force protection. All
 * from the client side, as a registry or a user sees it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIT {

    static final String ALICE_PASSWORD = "alice-secret-1";
    static final String BOB_PASSWORD = "bob-secret-12";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/registry-audit.war"));
    }

    @ArquillianResource
    URL base;

    ApiClient api;
    String admin;

    @BeforeEach
    void users() throws Exception {
        api = new ApiClient(base);
        admin = api.adminToken();
        put("/api/users/alice", """
                {"password":"%s","role":"auditor","grants":[
                  {"repository":"library/*","actions":["pull"]},
                  {"repository":"team/app","actions":["pull","push"]}]}""".formatted(ALICE_PASSWORD));
        put("/api/users/bob", """
                {"password":"%s","grants":[{"repository":"drop/*","actions":["push"]}]}""".formatted(BOB_PASSWORD));
        api.send(api.request("/api/public-repositories/public/*")
                .header("Authorization", "Bearer " + admin)
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> put(String path, String json) throws Exception {
        return api.send(api.request(path)
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    static JsonObject part(String token, int index) {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(json)).readObject();
    }

    static JsonArray access(String type, String name, String action) {
        return Json.createArrayBuilder()
                .add(Json.createObjectBuilder()
                        .add("type", type)
                        .add("name", name)
                        .add("actions", Json.createArrayBuilder().add(action)))
                .build();
    }

    private JsonArray loginEvents(String query) throws Exception {
        HttpResponse<String> page = api.get("/api/login-events?" + query, admin);
        assertEquals(200, page.statusCode(), page.body());
        return Json.createReader(new StringReader(page.body())).readObject().getJsonArray("items");
    }

    @Test
    void issuesRegistryTokensThatHoldOnlyWhatIsGranted() throws Exception {
        HttpResponse<String> response = api.send(api.request("/auth/token?service=registry-audit&account=alice"
                        + "&scope=repository:library/alpine:pull,push&scope=repository:secret/x:pull")
                .header("Authorization", ApiClient.basic("alice", ALICE_PASSWORD))
                .header("X-Forwarded-For", "198.51.100.20")
                .header("User-Agent", "skopeo/it"));
        assertEquals(200, response.statusCode(), response.body());
        String token = ApiClient.tokenOf(response.body());
        JsonObject header = part(token, 0);
        JsonObject claims = part(token, 1);
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(
                        api.send(api.request("/auth/certificate")).body().getBytes(StandardCharsets.US_ASCII)));
        assertEquals("RS256", header.getString("alg"));
        assertEquals(SigningKey.libtrustKeyId(certificate.getPublicKey()), header.getString("kid"));
        assertEquals("registry-audit", claims.getString("iss"));
        assertEquals("registry-audit", claims.getString("aud"), "aud is a string, as docker-registry requires");
        assertEquals("alice", claims.getString("sub"));
        assertEquals("alice", claims.getString("upn"));
        assertEquals(
                List.of("auditor"),
                claims.getJsonArray("groups").getValuesAs(v -> ((jakarta.json.JsonString) v).getString()));
        assertEquals(
                300,
                claims.getJsonNumber("exp").longValue()
                        - claims.getJsonNumber("iat").longValue());
        assertTrue(claims.containsKey("nbf") && claims.containsKey("jti"));
        assertEquals(access("repository", "library/alpine", "pull"), claims.getJsonArray("access"));

        JsonObject login = loginEvents("identity=alice").getJsonObject(0);
        assertEquals(claims.getString("jti"), login.getString("JwtId"));
        assertEquals("403", login.getString("ResultType"), "some requested access was not granted");
        assertTrue(
                login.getString("ResultDescription")
                        .startsWith(
                                "403: not granted: repository:library/alpine:pull,push " + "repository:secret/x:pull"),
                login.toString());
        assertEquals("198.51.100.20", login.getString("CallerIpAddress"), "X-Forwarded-For from a trusted proxy");
        assertEquals("skopeo/it", login.getString("UserAgent"));
        assertEquals("registry-audit", login.getString("LoginServer"));

        // anonymous: public repositories only, and still a token (the DTR rule)
        HttpResponse<String> anonymous = api.send(
                api.request(
                        "/auth/token?service=registry-audit&scope=repository:public/base:pull,push&scope=repository:library/alpine:pull"));
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        JsonObject anonymousClaims = part(ApiClient.tokenOf(anonymous.body()), 1);
        assertEquals("anonymous", anonymousClaims.getString("sub"));
        assertFalse(anonymousClaims.containsKey("upn"));
        assertEquals(access("repository", "public/base", "pull"), anonymousClaims.getJsonArray("access"));
        // the anonymous token opens a public GUN's changefeed, and nothing of the audit APIs
        String anonymousToken = ApiClient.tokenOf(anonymous.body());
        assertEquals(
                200,
                api.get("/v2/public/base/_trust/changefeed?records=10", anonymousToken)
                        .statusCode());
        assertEquals(
                403,
                api.get("/v2/secret/x/_trust/changefeed?records=10", anonymousToken)
                        .statusCode());
        assertEquals(403, api.get("/api/login-events", anonymousToken).statusCode());
        assertEquals(
                "anonymous", loginEvents("identity=anonymous").getJsonObject(0).getString("Identity"));

        // the DTR form: the catalog scope is granted to admins, and alice still gets a token that grants nothing
        String dtr = "?realm=dtr&service=registry-audit&scope=registry:catalog:*";
        JsonObject adminClaims = part(api.token("admin", ApiClient.dataFile("admin-password"), dtr), 1);
        assertEquals(access("registry", "catalog", "*"), adminClaims.getJsonArray("access"));
        assertEquals(
                0,
                part(api.token("alice", ALICE_PASSWORD, dtr), 1)
                        .getJsonArray("access")
                        .size());

        HttpResponse<String> unknownService = api.send(api.request("/auth/token?service=elsewhere"));
        assertEquals(400, unknownService.statusCode());
        assertTrue(
                unknownService.body().contains("does not issue tokens for service 'elsewhere'"), unknownService.body());
        HttpResponse<String> badScope = api.send(api.request("/auth/token?scope=repository:nothing"));
        assertEquals(400, badScope.statusCode());
        assertTrue(badScope.body().contains("is not of the form type:name:actions"), badScope.body());
    }

    /** A token signed with the service's own key, with claims and header changed by {@code change}. */
    static String forge(KeyPair key, Consumer<JwtClaims> claims, Consumer<JsonWebSignature> header) throws Exception {
        JwtClaims c = new JwtClaims();
        long now = Instant.now().getEpochSecond();
        c.setIssuer("registry-audit");
        c.setAudience("registry-audit");
        c.setSubject("admin");
        c.setClaim("upn", "admin");
        c.setStringListClaim("groups", "admin");
        c.setIssuedAt(NumericDate.fromSeconds(now));
        c.setNotBefore(NumericDate.fromSeconds(now));
        c.setExpirationTime(NumericDate.fromSeconds(now + 300));
        c.setJwtId(UUID.randomUUID().toString());
        claims.accept(c);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(key.getPrivate());
        jws.setKeyIdHeaderValue(SigningKey.libtrustKeyId(key.getPublic()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        header.accept(jws);
        return jws.getCompactSerialization();
    }

    @Test
    void refusesEveryForgedToken() throws Exception {
        KeyPair key = SigningKey.loadOrCreate(ApiClient.dataDirectory().resolve("token-key.pem"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair stranger = generator.generateKeyPair();
        long now = Instant.now().getEpochSecond();
        String valid = forge(key, c -> {}, h -> {});
        assertEquals(200, api.get("/api/repository-events", valid).statusCode(), "the control case is accepted");

        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("expired", forge(key, c -> c.setExpirationTime(NumericDate.fromSeconds(now - 600)), h -> {}));
        forged.put("not yet valid", forge(key, c -> c.setNotBefore(NumericDate.fromSeconds(now + 3600)), h -> {}));
        forged.put("wrong issuer", forge(key, c -> c.setIssuer("someone-else"), h -> {}));
        forged.put("wrong audience", forge(key, c -> c.setAudience("another-service"), h -> {}));
        forged.put(
                "unknown kid",
                forge(
                        key,
                        c -> {},
                        h -> h.setKeyIdHeaderValue("AAAA:BBBB:CCCC:DDDD:EEEE:FFFF:GGGG:HHHH:IIII:JJJJ:KKKK:LLLL")));
        forged.put(
                "another key",
                forge(stranger, c -> {}, h -> h.setKeyIdHeaderValue(SigningKey.libtrustKeyId(key.getPublic()))));
        String[] parts = valid.split("\\.");
        forged.put(
                "alg none",
                Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                        + "." + parts[1] + ".");
        JsonWebSignature hs256 = new JsonWebSignature();
        hs256.setPayload(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        hs256.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hs256.setHeader("typ", "JWT");
        hs256.setKey(new HmacKey(key.getPublic().getEncoded()));
        hs256.setDoKeyValidation(false);
        forged.put("HS256 with the public key", hs256.getCompactSerialization());
        String alice = api.token("alice", ALICE_PASSWORD, "?service=registry-audit");
        String[] aliceParts = alice.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(aliceParts[1]), StandardCharsets.UTF_8)
                .replace("\"auditor\"", "\"admin\"");
        forged.put(
                "tampered payload",
                aliceParts[0] + "."
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                        + "." + aliceParts[2]);
        for (Map.Entry<String, String> token : forged.entrySet()) {
            HttpResponse<String> response = api.get("/api/repository-events", token.getValue());
            assertEquals(401, response.statusCode(), token.getKey() + ": " + response.body());
        }
    }

    private void notify(String id, String repository, String actor) throws Exception {
        String body = """
                {"events":[{"id":"%s","timestamp":"%s","action":"pull",
                  "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"%s","tag":"1",
                            "digest":"sha256:ab","url":"http://reg/v2/%s/manifests/sha256:ab"},
                  "request":{"id":"r","addr":"10.0.0.1:1","host":"reg","method":"GET","useragent":"it"},
                  "actor":{"name":"%s"},"source":{"addr":"reg:5000"}}]}""".formatted(id, Instant.now(), repository, repository, actor);
        HttpResponse<String> sent = api.send(api.request("/notifications")
                .header("Content-Type", "application/json")
                .header("X-Registry-Audit-Secret", ApiClient.dataFile("notification-secret"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, sent.statusCode(), sent.body());
    }

    @Test
    void nonAdminsSeeOnlyWhatTheyMayPull() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        notify(run + "-lib", "library/alpine", "carol");
        notify(run + "-team", "team/app", "carol");
        notify(run + "-pub", "public/base", "carol");
        notify(run + "-secret", "secret/x", "carol");
        String everything = "";
        for (int i = 0; i < 300 && !everything.contains(run + "-secret"); i++) {
            Thread.sleep(100);
            everything = api.get("/api/repository-events?identity=carol&limit=1000", admin)
                    .body();
        }
        assertTrue(everything.contains(run + "-secret"), everything);

        String alice = api.token("alice", ALICE_PASSWORD, "?service=registry-audit");
        String seen = api.get("/api/repository-events?identity=carol&limit=1000", alice)
                .body();
        assertTrue(seen.contains(run + "-lib") && seen.contains(run + "-team") && seen.contains(run + "-pub"), seen);
        assertFalse(seen.contains(run + "-secret"), seen);
        assertFalse(api.get("/api/repository-events?repository=secret/x", alice)
                .body()
                .contains("secret/x"));
        assertFalse(api.get("/api/repository-events?digest=sha256:ab&limit=1000", alice)
                .body()
                .contains("secret/x"));
        // a cursor taken from the admin's view, placed right above the secret event, still yields only alice's view
        String adminPage =
                api.get("/api/repository-events?identity=carol&limit=1", admin).body();
        String cursor = adminPage.replaceAll(".*\"next\":\"([^\"]+)\".*", "$1");
        assertFalse(api.get("/api/repository-events?identity=carol&cursor=" + cursor, alice)
                .body()
                .contains("secret/x"));

        String logins = api.get("/api/login-events?limit=1000", alice).body();
        assertTrue(logins.contains("\"Identity\":\"alice\""), logins);
        assertFalse(logins.contains("\"Identity\":\"admin\"") || logins.contains("\"Identity\":\"anonymous\""), logins);
        assertFalse(api.get("/api/login-events?identity=admin", alice).body().contains("\"Identity\""));

        assertEquals(403, api.get("/api/rejected-messages", alice).statusCode());
        assertEquals(403, api.get("/api/users", alice).statusCode());
        String bob = api.token("bob", BOB_PASSWORD, "?service=registry-audit");
        HttpResponse<String> registryOnly = api.get("/api/repository-events", bob);
        assertEquals(403, registryOnly.statusCode(), "a user without a role only uses the registry");
        assertEquals(
                "application/problem+json",
                registryOnly.headers().firstValue("Content-Type").orElse(""));

        // a revoked grant takes effect on the next request, with the same token
        put("/api/users/alice", """
                {"role":"auditor","grants":[{"repository":"team/app","actions":["pull","push"]}]}""");
        String after = api.get("/api/repository-events?identity=carol&limit=1000", alice)
                .body();
        assertTrue(after.contains(run + "-team") && !after.contains(run + "-lib"), after);
    }

    @Test
    void adminsManageUsersWithClearErrors() throws Exception {
        HttpResponse<String> created = put(
                "/api/users/dave-" + UUID.randomUUID().toString().substring(0, 6),
                "{\"password\":\"dave-password\",\"grants\":[{\"repository\":\"x/*\",\"actions\":[\"pull\"]}]}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(200, put("/api/users/bob", "{\"grants\":[]}").statusCode(), "an update keeps the password");
        api.token("bob", BOB_PASSWORD, "?service=registry-audit");

        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("/api/users/eve|{\"role\":\"auditor\"}", "a new user needs a password");
        errors.put("/api/users/eve|{\"password\":\"short\"}", "password: must be 8 to 1024 characters long");
        errors.put("/api/users/eve|{\"password\":\"long-enough\",\"role\":\"root\"}", "role: must be admin or auditor");
        errors.put(
                "/api/users/eve|{\"password\":\"long-enough\",\"grants\":[{\"repository\":\"a\",\"actions\":[\"own\"]}]}",
                "must be pull, push, delete or *");
        errors.put(
                "/api/users/eve|{\"password\":\"long-enough\",\"grants\":[{\"repository\":\"Bad Name\",\"actions\":[\"pull\"]}]}",
                "must be a repository name pattern");
        errors.put("/api/users/anonymous|{\"password\":\"long-enough\"}", "and not 'anonymous'");
        errors.put("/api/users/eve|{not json", "");
        for (Map.Entry<String, String> error : errors.entrySet()) {
            String[] request = error.getKey().split("\\|", 2);
            HttpResponse<String> response = put(request[0], request[1]);
            assertEquals(400, response.statusCode(), error.getKey() + " -> " + response.body());
            assertEquals(
                    "application/problem+json",
                    response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(response.body().contains(error.getValue()), error.getKey() + " -> " + response.body());
        }
        HttpResponse<String> lastAdmin = api.send(api.request("/api/users/admin")
                .header("Authorization", "Bearer " + admin)
                .DELETE());
        assertEquals(409, lastAdmin.statusCode(), lastAdmin.body());
        String list = api.get("/api/users", admin).body();
        assertTrue(
                list.contains("\"name\":\"alice\"") && !list.contains("PBKDF2") && !list.contains(ALICE_PASSWORD),
                list);
        assertEquals(404, api.get("/api/users/nobody", admin).statusCode());
    }

    /**
     * Guessing slows down and locks out the guessing address, never the owner: the right password
     * from a clean address always gets in, parallel guesses are checked one at a time, and
     * anonymous floods are limited per address.
     */
    @Test
    void slowsThenLocksOutGuessersButNeverTheOwner() throws Exception {
        String victim = "victim-" + UUID.randomUUID().toString().substring(0, 6);
        put("/api/users/" + victim, "{\"password\":\"victim-password\"}");
        HttpRequest.Builder wrong = api.request("/auth/token?service=registry-audit")
                .header("Authorization", ApiClient.basic(victim, "guess"))
                .header("X-Forwarded-For", "203.0.113.7");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = api.send(wrong.copy());
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(
                    refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        }
        HttpRequest.Builder owner = api.request("/auth/token?service=registry-audit")
                .header("Authorization", ApiClient.basic(victim, "victim-password"))
                .header("X-Forwarded-For", "203.0.113.8");
        assertEquals(200, api.send(owner.copy()).statusCode(), "a stranger's failures never slow the owner down");
        HttpResponse<String> slowed = api.send(wrong.copy());
        assertEquals(429, slowed.statusCode(), "the guessing address waits");
        assertTrue(Long.parseLong(slowed.headers().firstValue("Retry-After").orElse("0")) >= 1);
        for (int i = 0; i < 6; i++) {
            assertEquals(429, api.send(wrong.copy()).statusCode());
        }
        Thread.sleep(2100);
        HttpResponse<String> locked = api.send(api.request("/auth/token?service=registry-audit")
                .header("Authorization", ApiClient.basic(victim, "victim-password"))
                .header("X-Forwarded-For", "203.0.113.7"));
        assertEquals(
                429, locked.statusCode(), "ten failures lock the guessing address out, even with the right password");
        assertTrue(
                Long.parseLong(locked.headers().firstValue("Retry-After").orElse("0")) > 800,
                locked.headers().toString());
        assertTrue(locked.body().contains("too many failed logins"), locked.body());
        assertEquals(200, api.send(owner.copy()).statusCode(), "the owner from a clean address still gets in");

        JsonArray attempts = loginEvents("identity=" + victim + "&limit=100");
        assertEquals(13, attempts.size(), attempts.toString());
        assertEquals(
                3,
                attempts.stream()
                        .filter(a -> a.asJsonObject().getString("ResultType").equals("401"))
                        .count());
        assertEquals(
                8,
                attempts.stream()
                        .filter(a -> a.asJsonObject().getString("ResultType").equals("429"))
                        .count());
        assertEquals(
                2,
                attempts.stream()
                        .filter(a -> a.asJsonObject().getString("ResultType").equals("200"))
                        .count());

        // 40 guesses in parallel from one address: one check at a time, so at most 3 passwords are checked
        String target = "target-" + UUID.randomUUID().toString().substring(0, 6);
        put("/api/users/" + target, "{\"password\":\"target-password\"}");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> guesses = new java.util.ArrayList<>();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 40; i++) {
            guesses.add(client.sendAsync(
                    api.request("/auth/token?service=registry-audit")
                            .header("Authorization", ApiClient.basic(target, "guess-" + i))
                            .header("X-Forwarded-For", "203.0.113.9")
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long checked = 0;
        for (var guess : guesses) {
            int status = guess.get().statusCode();
            assertTrue(status == 401 || status == 429, "status " + status);
            checked += status == 401 ? 1 : 0;
        }
        assertTrue(checked >= 1 && checked <= 3, checked + " of 40 parallel guesses were checked");

        // anonymous token requests: a burst of 100, then 20 a second per address; refusals recorded once a
        // second. What holds however fast this machine is: no more pass than the limit allows, no more
        // refusals are recorded than seconds went by, and a refusal is recorded at all.
        long start = System.nanoTime();
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> anonymous = api.send(
                    api.request("/auth/token?service=registry-audit").header("X-Forwarded-For", "203.0.113.10"));
            if (anonymous.statusCode() == 429) {
                refused++;
                assertEquals("1", anonymous.headers().firstValue("Retry-After").orElse(""));
            }
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
        assertTrue(300 - refused <= 100 + 20 * seconds, (300 - refused) + " passed in " + seconds + " s");
        JsonArray flood = loginEvents("identity=anonymous&result=429&limit=1000");
        long recorded = flood.stream()
                .filter(a -> a.asJsonObject().getString("CallerIpAddress").equals("203.0.113.10"))
                .count();
        assertTrue(recorded <= seconds + 1, recorded + " refusals recorded in " + seconds + " s");
        assertTrue(refused == 0 || recorded >= 1, refused + " refused, none recorded");
    }

    /** A token's role holds only while the user has it: demoted or deleted, the token is refused at once. */
    @Test
    void aDemotedOrDeletedUsersTokenLosesItsPowersAtOnce() throws Exception {
        String ex = "ex-admin-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(
                201,
                put("/api/users/" + ex, "{\"password\":\"ex-admin-password\",\"role\":\"admin\"}")
                        .statusCode());
        String exToken = api.token(ex, "ex-admin-password", "?service=registry-audit");
        assertEquals(200, api.get("/api/users", exToken).statusCode());
        assertEquals(200, put("/api/users/" + ex, "{\"role\":\"auditor\"}").statusCode());
        HttpResponse<String> demoted = api.send(api.request("/api/users/made-by-ex")
                .header("Authorization", "Bearer " + exToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"long-enough\",\"role\":\"admin\"}")));
        assertEquals(401, demoted.statusCode(), demoted.body());
        assertTrue(demoted.body().contains("is no longer the user's"), demoted.body());
        assertTrue(demoted.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        assertEquals(404, api.get("/api/users/made-by-ex", admin).statusCode(), "no admin was made");
        assertEquals(401, api.get("/api/login-events", exToken).statusCode());
        String auditorToken = api.token(ex, "ex-admin-password", "?service=registry-audit");
        assertEquals(200, api.get("/api/login-events", auditorToken).statusCode(), "a new token holds the new role");
        assertEquals(403, api.get("/api/users", auditorToken).statusCode());
        assertEquals(
                204,
                api.send(api.request("/api/users/" + ex)
                                .header("Authorization", "Bearer " + admin)
                                .DELETE())
                        .statusCode());
        HttpResponse<String> deleted = api.get("/api/login-events", auditorToken);
        assertEquals(401, deleted.statusCode());
        assertTrue(deleted.body().contains("no longer exists"), deleted.body());
    }

    /**
     * The token protocol's OAuth2 form, as docker and containerd send it first (a password) and
     * skopeo and podman send it with an identity token (a refresh token): each request a login
     * event, the refresh token ended by a sign-out and by a new password, and every malformed
     * request a problem with OAuth2's error code.
     */
    @Test
    void issuesAndEndsRefreshTokensInTheOAuth2Form() throws Exception {
        HttpResponse<String> signedIn =
                form("grant_type=password&client_id=it&access_type=offline&service=registry-audit"
                        + "&username=alice&password=" + ALICE_PASSWORD);
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        assertEquals("no-store", signedIn.headers().firstValue("Cache-Control").orElse(""));
        JsonObject body = Json.createReader(new StringReader(signedIn.body())).readObject();
        String refresh = body.getString("refresh_token");
        assertEquals(
                200,
                api.get("/api/login-events", body.getString("access_token")).statusCode());
        assertEquals(43, refresh.length(), "256 random bits, base64url");

        HttpResponse<String> renewed =
                form("grant_type=refresh_token&client_id=containers%2Fimage&service=registry-audit"
                        + "&scope=repository%3Ateam%2Fapp%3Apull&refresh_token=" + refresh);
        assertEquals(200, renewed.statusCode(), renewed.body());
        JsonObject again = Json.createReader(new StringReader(renewed.body())).readObject();
        assertFalse(again.containsKey("refresh_token"), "a refresh token only when access_type=offline asks");
        assertEquals(
                access("repository", "team/app", "pull"),
                part(again.getString("token"), 1).getJsonArray("access"));
        JsonObject login = loginEvents("identity=alice&limit=1").getJsonObject(0);
        assertEquals("200", login.getString("ResultType"));
        assertEquals(part(again.getString("token"), 1).getString("jti"), login.getString("JwtId"));

        HttpResponse<String> wrongPassword = form("grant_type=password&client_id=it&username=bob&password=not-bobs");
        assertEquals(401, wrongPassword.statusCode(), wrongPassword.body());
        for (String[] refused : new String[][] {
            {"grant_type=client_credentials&client_id=it", "unsupported_grant_type", "grant_type"},
            {"grant_type=password&username=alice&password=x", "invalid_request", "client_id"},
            {"grant_type=refresh_token&client_id=it", "invalid_request", "needs refresh_token"},
            {
                "grant_type=refresh_token&client_id=it&refresh_token=made-up",
                "invalid_grant",
                "unknown, expired or revoked"
            },
        }) {
            HttpResponse<String> problem = form(refused[0]);
            assertEquals(400, problem.statusCode(), refused[0]);
            assertEquals(
                    "application/problem+json",
                    problem.headers().firstValue("Content-Type").orElse(""));
            JsonObject p = Json.createReader(new StringReader(problem.body())).readObject();
            assertEquals(refused[1], p.getString("error"), problem.body());
            assertTrue(p.getString("detail").contains(refused[2]), problem.body());
        }

        // a sign-out ends the refresh token on every server (RFC 7009: 200 for unknown tokens too)
        assertEquals(200, revoke(refresh).statusCode());
        assertEquals(200, revoke("never-issued").statusCode());
        assertEquals(
                "invalid_grant",
                Json.createReader(
                                new StringReader(form("grant_type=refresh_token&client_id=it&refresh_token=" + refresh)
                                        .body()))
                        .readObject()
                        .getString("error"));

        // and so does a new password
        String second = Json.createReader(new StringReader(form("grant_type=password&client_id=it&access_type=offline"
                                + "&username=alice&password=" + ALICE_PASSWORD)
                        .body()))
                .readObject()
                .getString("refresh_token");
        assertEquals(
                200,
                form("grant_type=refresh_token&client_id=it&refresh_token=" + second)
                        .statusCode());
        put("/api/users/alice", """
                {"password":"%s","role":"auditor","grants":[
                  {"repository":"library/*","actions":["pull"]},
                  {"repository":"team/app","actions":["pull","push"]}]}""".formatted(ALICE_PASSWORD));
        assertEquals(
                400,
                form("grant_type=refresh_token&client_id=it&refresh_token=" + second)
                        .statusCode());
    }

    private HttpResponse<String> form(String body) throws Exception {
        return api.send(api.request("/auth/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", "198.51.100.9") // its failures count against an address of its own
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> revoke(String token) throws Exception {
        return api.send(api.request("/auth/revoke")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
    }

    /**
     * Over-long or odd fields of a token request never cost the login event, nor the token; over
     * HTTP/1.1, as registries send token requests, and over cleartext HTTP/2, where one such request
     * once broke the listener for every other client.
     */
    @Test
    void longFieldsNeverLoseALoginEvent() throws Exception {
        ApiClient api = new ApiClient(base, java.net.http.HttpClient.Version.HTTP_1_1);
        String longAgent = "agent-" + "u".repeat(5000);
        HttpResponse<String> issued = api.send(api.request("/auth/token?service=registry-audit")
                .header("Authorization", ApiClient.basic("alice", ALICE_PASSWORD))
                .header("User-Agent", longAgent)
                .header("X-Request-Id", "r".repeat(500)));
        assertEquals(200, issued.statusCode(), issued.body());
        String jwtId = part(ApiClient.tokenOf(issued.body()), 1).getString("jti");
        JsonObject event = loginEvents("identity=alice&limit=1000").stream()
                .map(JsonObject.class::cast)
                .filter(e -> jwtId.equals(e.getString("JwtId", null)))
                .findFirst()
                .orElseThrow();
        assertEquals(1024, event.getString("UserAgent").length());
        assertTrue(event.getString("UserAgent").startsWith("agent-uuu")
                && event.getString("UserAgent").endsWith("[cut]"));
        assertTrue(event.getString("CorrelationId").endsWith("[cut]"));

        ApiClient h2 = new ApiClient(base);
        h2.token("alice", ALICE_PASSWORD, "?service=registry-audit"); // the connection is HTTP/2 now
        HttpResponse<String> h2Long = h2.send(h2.request("/auth/token?service=registry-audit")
                .header("Authorization", ApiClient.basic("alice", ALICE_PASSWORD))
                .header("User-Agent", longAgent));
        assertEquals(200, h2Long.statusCode(), h2Long.body());
        ApiClient other = new ApiClient(base);
        for (int i = 0; i < 3; i++) {
            other.token("alice", ALICE_PASSWORD, "?service=registry-audit"); // and others' requests still pass
        }

        String longName = "n".repeat(3000);
        HttpResponse<String> wrongName = api.send(api.request("/auth/token?service=registry-audit")
                .header("Authorization", ApiClient.basic(longName, "whatever-password")));
        assertEquals(401, wrongName.statusCode(), wrongName.body());
        assertEquals(
                1,
                loginEvents("result=401&limit=1000").stream()
                        .map(JsonObject.class::cast)
                        .filter(e -> e.getString("Identity").startsWith("nnnn")
                                && e.getString("Identity").endsWith("[cut]"))
                        .count());
        HttpResponse<String> twoLines = api.send(api.request("/auth/token?service=registry-audit")
                .header("Authorization", ApiClient.basic("mallory\r\n[INFO] admin logged in", "whatever-password")));
        assertEquals(401, twoLines.statusCode());
        assertTrue(
                loginEvents("result=401&limit=1000").stream()
                        .map(JsonObject.class::cast)
                        .anyMatch(e -> e.getString("Identity").equals("mallory\\u000d\\u000a[INFO] admin logged in")),
                "a name's line break is stored escaped");
        HttpResponse<String> longScope = api.send(
                api.request("/auth/token?service=registry-audit&scope=repository:" + "s".repeat(2000) + ":pull")
                        .header("Authorization", ApiClient.basic("alice", ALICE_PASSWORD)));
        assertTrue(longScope.statusCode() == 200 || longScope.statusCode() == 400, longScope.body());
        HttpResponse<String> longService = api.send(api.request("/auth/token?service=" + "v".repeat(2000)));
        assertEquals(400, longService.statusCode(), longService.body());
        assertTrue(
                loginEvents("result=400&limit=1000").stream()
                        .map(JsonObject.class::cast)
                        .anyMatch(e -> e.getString("ResultDescription").contains("vvvv")),
                "the refusal is a login event");
    }

    private int statusWithin(String path, String token, int expected) throws Exception {
        int status = 0;
        for (int i = 0; i < 120 && status != expected; i++) {
            if (i > 0) {
                Thread.sleep(500);
            }
            status = api.get(path, token).statusCode();
        }
        return status;
    }

    @Test
    @Order(Order.DEFAULT + 1) // last: it changes the signing key
    void rotatesTheSigningKeyWithoutDowntime() throws Exception {
        String before = admin;
        String oldKid = part(before, 0).getString("kid");
        HttpRequest.Builder next = api.request("/api/token-keys/next")
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> prepared = api.send(next.copy());
        assertEquals(201, prepared.statusCode(), prepared.body());
        assertTrue(prepared.body().contains("\"stage\":\"next\""), prepared.body());
        assertEquals(409, api.send(next.copy()).statusCode(), "one next key at a time");
        assertEquals(
                2,
                api.send(api.request("/auth/certificate")).body().split("BEGIN CERTIFICATE", -1).length - 1,
                "the next key is trusted before it signs");
        assertEquals(oldKid, part(api.adminToken(), 0).getString("kid"), "the current key still signs");
        Thread.sleep(31_000); // what an administrator waits before promoting: the 30 s MP-JWT key cache

        HttpResponse<String> promoted = api.send(api.request("/api/token-keys/promotion")
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, promoted.statusCode(), promoted.body());
        String after = api.adminToken();
        assertFalse(oldKid.equals(part(after, 0).getString("kid")), "the new key signs");
        assertEquals(200, api.get("/api/users", before).statusCode(), "a token of the old key still verifies");
        assertEquals(200, api.get("/api/users", after).statusCode(), "a token of the new key verifies at once");
        assertEquals(2, api.send(api.request("/auth/certificate")).body().split("BEGIN CERTIFICATE", -1).length - 1);

        assertEquals(
                204,
                api.send(api.request("/api/token-keys/previous")
                                .header("Authorization", "Bearer " + after)
                                .DELETE())
                        .statusCode());
        assertEquals(401, statusWithin("/api/users", before, 401), "a retired key is no longer trusted");
        assertEquals(200, api.get("/api/users", after).statusCode());
        assertEquals(1, api.send(api.request("/auth/certificate")).body().split("BEGIN CERTIFICATE", -1).length - 1);
    }
}
