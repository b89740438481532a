package org.registryaudit.ingest.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;

class MessageParserTest {

    private final MessageParser parser = new MessageParser();

    static String sample(String name) {
        try (InputStream in = MessageParserTest.class.getResourceAsStream("/notifications/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private RepositoryEventRecord only(String body, String contentType, String loginServer) {
        Batch batch = parser.parse(body, contentType, loginServer);
        assertEquals(0, batch.rejections().size(), () -> "rejected: " + batch.rejections());
        assertEquals(1, batch.repositoryEvents().size());
        return batch.repositoryEvents().get(0);
    }

    /** Every body docker-registry 2.8.2 sent in reference/samples, and what it must become. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            nullValues = "-",
            value = {
                // file,                       operation, repository,      tag,    digest prefix,   method, identity,
                // media type
                "push-1-push.json,             PushBlob,  library/alpine,  -,      sha256:ecbc5a61, PUT,    -,     application/octet-stream",
                "push-2-push.json,             PushBlob,  library/alpine,  -,      sha256:cf53c538, PUT,    -,     application/octet-stream",
                "push-3-push.json,             Push,      library/alpine,  3.19,   sha256:cd5c611c, PUT,    -,     application/vnd.oci.image.manifest.v1+json",
                "push-with-actor-1-push.json,  PushBlob,  library/alpine,  -,      sha256:ecbc5a61, PUT,    alice, application/octet-stream",
                "push-with-actor-3-push.json,  Push,      library/alpine,  1.0,    sha256:cd5c611c, PUT,    alice, application/vnd.oci.image.manifest.v1+json",
                "mount-1-pull.json,            Pull,      library/alpine,  3.19,   sha256:cd5c611c, GET,    -,     application/vnd.oci.image.manifest.v1+json",
                "mount-2-pull.json,            Pull,      library/alpine,  -,      sha256:ecbc5a61, HEAD,   -,     application/octet-stream",
                "mount-3-mount.json,           Mount,     team/app,        -,      sha256:ecbc5a61, POST,   -,     application/octet-stream",
                "mount-5-push.json,            PushBlob,  team/app,        -,      sha256:cf53c538, PUT,    -,     application/octet-stream",
                "mount-6-push.json,            Push,      team/app,        1.0,    sha256:cd5c611c, PUT,    -,     application/vnd.oci.image.manifest.v1+json",
                "pull-head-1-pull.json,        Pull,      team/app,        1.0,    sha256:cd5c611c, HEAD,   -,     application/vnd.oci.image.manifest.v1+json",
                "delete-1-pull.json,           Pull,      library/alpine,  latest, sha256:cd5c611c, GET,    -,     application/vnd.oci.image.manifest.v1+json",
                "delete-2-delete.json,         Delete,    library/alpine,  -,      sha256:cd5c611c, DELETE, -,     -",
                "delete-3-delete.json,         Untag,     library/alpine,  latest, -,               DELETE, -,     -",
                "delete-4-delete.json,         Untag,     library/alpine,  3.19,   -,               DELETE, -,     -",
            })
    void mapsRealRegistryNotifications(
            String file,
            String operation,
            String repository,
            String tag,
            String digest,
            String method,
            String identity,
            String mediaType) {
        RepositoryEventRecord event = only(sample(file), MessageParser.DISTRIBUTION_V1, null);
        assertEquals(operation, event.operationName());
        assertEquals(repository, event.repository());
        assertEquals(tag, event.tag());
        if (digest == null) {
            assertNull(event.digest());
        } else {
            assertTrue(event.digest().startsWith(digest), event.digest());
        }
        assertEquals(method, event.httpMethod());
        assertEquals(identity, event.identity());
        assertEquals(mediaType, event.mediaType());
        assertEquals("127.0.0.1", event.callerIpAddress());
        assertTrue(event.loginServer().startsWith("127.0.0.1:1500"), event.loginServer());
        assertEquals("200", event.resultType());
    }

    @Test
    void keepsIdsTimesSizesAndMountSource() {
        RepositoryEventRecord mount = only(sample("mount-3-mount.json"), null, null);
        assertEquals("1f3674e0-fce0-49ba-9ec5-5820ec139f66", mount.eventId());
        assertEquals(Instant.parse("2026-11-21T11:53:31.040368Z"), mount.timeGenerated(), "kept to the microsecond");
        assertEquals(124L, mount.size());
        assertEquals("library/alpine", mount.fromRepository());
        assertEquals("418db1ca-76e1-400c-9ae5-98e5febcd4c5", mount.correlationId());
        assertEquals("skopeo/1.9.3", mount.userAgent());
    }

    @Test
    void loginServerPropertyOverridesRequestHost() {
        assertEquals(
                "registry.example.com",
                only(sample("push-3-push.json"), MessageParser.DISTRIBUTION_V2, "registry.example.com")
                        .loginServer());
    }

    @Test
    void acceptsV2AndPlainJsonAndContentTypeParameters() {
        only(sample("push-3-push.json"), MessageParser.DISTRIBUTION_V2, null);
        only(sample("push-3-push.json"), "application/json; charset=utf-8", null);
        assertTrue(MessageParser.isNotification("Application/JSON"));
        assertTrue(!MessageParser.isNotification("text/plain"));
    }

    @Test
    void oneBadEventDoesNotStopTheOthers() {
        String body = """
                {"events":[
                  {"id":"a","timestamp":"2026-11-21T11:53:28Z","action":"pull","target":{"repository":"r/one"},"request":{"host":"reg:5000"}},
                  {"id":"b","timestamp":"2026-11-21T11:53:28Z","action":"fly","target":{"repository":"r/two"},"request":{"host":"reg:5000"}},
                  {"id":"c","timestamp":"yesterday","action":"pull","target":{"repository":"r/three"},"request":{"host":"reg:5000"}},
                  42,
                  {"id":"e","timestamp":"2026-11-21T11:53:28+02:00","action":"delete","target":{"repository":"r/five","digest":"sha256:00"},"request":{"host":"reg:5000"}}
                ]}""";
        Batch batch = parser.parse(body, null, null);
        assertEquals(2, batch.repositoryEvents().size());
        assertEquals(
                Instant.parse("2026-11-21T09:53:28Z"),
                batch.repositoryEvents().get(1).timeGenerated());
        assertEquals(3, batch.rejections().size());
        assertEquals(
                "events[1].action is 'fly'; expected push, pull, mount or delete",
                batch.rejections().get(0).reason());
        assertEquals(
                "events[2].timestamp is not an RFC 3339 time: yesterday",
                batch.rejections().get(1).reason());
        assertEquals(
                "events[3] must be a JSON object", batch.rejections().get(2).reason());
        assertTrue(batch.rejections().get(0).json().contains("\"fly\""));
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                 | application/json  | the body is empty",
                "not json                           | application/json  | the body is not valid JSON",
                "[1,2]                              | application/json  | a notification envelope must be a JSON object",
                "{\"event\":[]}                     | application/json  | a notification envelope must have an 'events' array",
                "{\"events\":[]}                    | text/plain        | contentType 'text/plain' is not one of",
            })
    void rejectsWholeBodiesThatAreNotEnvelopes(String body, String contentType, String reason) {
        InvalidMessageException e =
                assertThrows(InvalidMessageException.class, () -> parser.parse(body, contentType, null));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }

    @Test
    void refusesOversizedBatches() {
        String body = "{\"events\":[" + "{},".repeat(MessageParser.MAX_EVENTS) + "{}]}";
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> parser.checkEnvelope(body));
        assertTrue(e.getMessage().contains("at most 1000"), e.getMessage());
    }

    @Test
    void namesTheFieldThatIsMissingOrTooLong() {
        String noRepository =
                "{\"events\":[{\"id\":\"x\",\"timestamp\":\"2026-11-21T11:53:28Z\",\"action\":\"push\",\"target\":{},\"request\":{\"host\":\"h\"}}]}";
        assertEquals(
                "events[0].target.repository is required",
                parser.parse(noRepository, null, null).rejections().get(0).reason());
        String longTag = noRepository.replace(
                "\"target\":{}", "\"target\":{\"repository\":\"r\",\"tag\":\"" + "t".repeat(129) + "\"}");
        assertEquals(
                "events[0].target.tag is 129 characters long; at most 128 are allowed",
                parser.parse(longTag, null, null).rejections().get(0).reason());
        String noHost = noRepository
                .replace("\"target\":{}", "\"target\":{\"repository\":\"r\"}")
                .replace("\"host\":\"h\"", "");
        assertTrue(parser.parse(noHost, null, null).rejections().get(0).reason().contains("names no login server"));
    }

    /** Times centuries away, an over-long login server and bytes that are no UTF-8 are each refused with the reason. */
    @Test
    void refusesTimesCenturiesAwayLongLoginServersAndBadBytes() {
        String template =
                "[{\"EventId\":\"t-%d\",\"TimeGenerated\":\"%s\",\"OperationName\":\"Push\",\"Repository\":\"x\"}]";
        for (String time : List.of(
                "1200-01-01T00:00:00Z",
                "2500-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z",
                Instant.now().plus(java.time.Duration.ofDays(2)).toString())) {
            Batch batch = parser.parse(template.formatted(1, time), MessageParser.REPOSITORY_EVENTS, "r");
            assertEquals(0, batch.repositoryEvents().size(), time);
            assertTrue(
                    batch.rejections()
                            .get(0)
                            .reason()
                            .contains("an event time must lie between 1970 and a day from now"),
                    batch.rejections().get(0).reason());
        }
        assertEquals(
                1,
                parser.parse(
                                template.formatted(2, Instant.now().plusSeconds(3600)),
                                MessageParser.REPOSITORY_EVENTS,
                                "r")
                        .repositoryEvents()
                        .size(),
                "an hour of clock skew is fine");
        InvalidMessageException longServer = assertThrows(
                InvalidMessageException.class,
                () -> parser.parse(
                        template.formatted(3, "2026-11-21T10:00:00Z"),
                        MessageParser.REPOSITORY_EVENTS,
                        "s".repeat(256)));
        assertEquals("loginServer is 256 characters long; at most 255 are allowed", longServer.getMessage());
        assertEquals("h\u00e9", MessageParser.utf8("h\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        InvalidMessageException bytes = assertThrows(
                InvalidMessageException.class, () -> MessageParser.utf8(new byte[] {'{', '"', (byte) 0xc3, '"', '}'}));
        assertEquals("the body is not UTF-8: byte 2 (0xc3) is not part of a UTF-8 character", bytes.getMessage());
    }

    @Test
    void readsCanonicalRepositoryRecords() {
        String body = """
                [{"EventId":"r-1","TimeGenerated":"2026-11-21T10:00:00.123456789Z","OperationName":"Push",
                  "Repository":"library/nginx","Tag":"1.27","Digest":"sha256:ab","Size":1024,"Identity":"ci-bot",
                  "ResultType":"200","ResultDescription":"200","CallerIpAddress":"10.0.0.7","DurationMs":35,
                  "Unknown":"ignored"},
                 {"EventId":"r-2","TimeGenerated":"2026-11-21T10:00:01Z","OperationName":"Pull","Repository":"x","LoginServer":"other.example"},
                 {"EventId":"r-3","TimeGenerated":"2026-11-21T10:00:01Z","OperationName":"Drop Table","Repository":"x"}]""";
        Batch batch = parser.parse(body, MessageParser.REPOSITORY_EVENTS, "registry.example.com");
        assertEquals(2, batch.repositoryEvents().size());
        RepositoryEventRecord first = batch.repositoryEvents().get(0);
        assertEquals("registry.example.com", first.loginServer());
        assertEquals(Instant.parse("2026-11-21T10:00:00.123456Z"), first.timeGenerated());
        assertEquals(35L, first.durationMs());
        assertEquals("ci-bot", first.identity());
        assertEquals("other.example", batch.repositoryEvents().get(1).loginServer());
        assertEquals(
                "OperationName 'Drop Table' must consist of letters only",
                batch.rejections().get(0).reason());
    }

    @Test
    void readsCanonicalLoginRecords() {
        String body = """
                {"EventId":"l-1","TimeGenerated":"2026-11-21T10:00:00Z","LoginServer":"registry.example.com",
                 "Identity":"alice","ResultType":"401","ResultDescription":"401","CallerIpAddress":"10.0.0.9",
                 "UserAgent":"docker/27.0","DurationMs":12,"JwtId":"j-1"}""";
        Batch batch = parser.parse(body, MessageParser.LOGIN_EVENTS, null);
        LoginEventRecord login = batch.loginEvents().get(0);
        assertEquals("Login", login.operationName());
        assertEquals("401", login.resultType());
        assertEquals("j-1", login.jwtId());
        String noResult = "{\"EventId\":\"l-2\",\"TimeGenerated\":\"2026-11-21T10:00:00Z\",\"LoginServer\":\"r\"}";
        assertEquals(
                "records[0].ResultType is required",
                parser.parse(noResult, MessageParser.LOGIN_EVENTS, null)
                        .rejections()
                        .get(0)
                        .reason());
        String negative = noResult.replace("}", ",\"ResultType\":\"200\",\"DurationMs\":-1}");
        assertEquals(
                "records[0].DurationMs must not be negative",
                parser.parse(negative, MessageParser.LOGIN_EVENTS, null)
                        .rejections()
                        .get(0)
                        .reason());
    }

    @Test
    void readsTrustChangesAndDerivesTheirIdsWhenMissing() {
        String body = """
                [{"CreatedAt":"2026-11-21T17:00:37.840721Z","GUN":"example.com/app","Category":"update","Version":1,
                  "SHA256":"5aca0fe5daa6a6a246f548e2ff8919f7789d458e5e4b8e135101f2125adff020"},
                 {"EventId":"t-2","CreatedAt":"2026-11-21T17:00:38Z","GUN":"example.com/app","Category":"deletion",
                  "Source":"notary-b"}]""";
        Batch batch = parser.parse(body, MessageParser.TRUST_CHANGES, "notary-a");
        assertEquals(List.of(), batch.rejections());
        var update = batch.trustChanges().get(0);
        assertTrue(update.eventId().matches("trust:[0-9a-f]{64}"), update.eventId());
        assertEquals("notary-a", update.source());
        assertEquals(1, update.version());
        // the same change again derives the same id: a redelivery is stored once
        assertEquals(
                update.eventId(),
                parser.parse(body, MessageParser.TRUST_CHANGES, "notary-a")
                        .trustChanges()
                        .get(0)
                        .eventId());
        var deletion = batch.trustChanges().get(1);
        assertEquals("t-2", deletion.eventId());
        assertEquals("notary-b", deletion.source());
        assertEquals(0, deletion.version());
        assertNull(deletion.sha256());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"GUN\":\"a/b\",\"Category\":\"update\",\"Version\":1,\"SHA256\":\"%s\"}|records[0].CreatedAt is required",
                "{\"CreatedAt\":\"%t\",\"Category\":\"update\",\"Version\":1,\"SHA256\":\"%s\"}|records[0].GUN is required",
                "{\"CreatedAt\":\"%t\",\"GUN\":\"a/b\",\"Category\":\"edit\"}|records[0].Category must be 'update' or 'deletion'",
                "{\"CreatedAt\":\"%t\",\"GUN\":\"a/b\",\"Category\":\"update\",\"SHA256\":\"%s\"}|records[0].Version must be",
                "{\"CreatedAt\":\"%t\",\"GUN\":\"a/b\",\"Category\":\"update\",\"Version\":0,\"SHA256\":\"%s\"}|records[0].Version must be",
                "{\"CreatedAt\":\"%t\",\"GUN\":\"a/b\",\"Category\":\"update\",\"Version\":1,\"SHA256\":\"ABC\"}|records[0].SHA256 must be",
                "{\"CreatedAt\":\"%t\",\"GUN\":\"a/b\",\"Category\":\"deletion\",\"Version\":3}|records[0]: a deletion has Version 0",
            })
    void explainsBadTrustChanges(String template, String reason) {
        String body = template.replace("%t", "2026-11-21T17:00:37Z")
                .replace("%s", "5aca0fe5daa6a6a246f548e2ff8919f7789d458e5e4b8e135101f2125adff020");
        Batch batch = parser.parse(body, MessageParser.TRUST_CHANGES, null);
        assertEquals(List.of(), batch.trustChanges());
        assertTrue(
                batch.rejections().get(0).reason().startsWith(reason),
                batch.rejections().get(0).reason());
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {"127.0.0.1:37794, 127.0.0.1", "[::1]:5000, ::1", "10.1.2.3, 10.1.2.3", "fe80::1, fe80::1", "-, -"})
    void dropsThePortFromTheCallerAddress(String addr, String ip) {
        assertEquals(ip, NotificationParser.callerIp(addr));
    }
}
