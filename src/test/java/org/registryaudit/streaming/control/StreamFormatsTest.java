package org.registryaudit.streaming.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.registryaudit.archive.control.ArchiveCategory;
import org.registryaudit.archive.control.RecordJson;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.platform.entity.RecordColumns;
import org.registryaudit.streaming.entity.StreamFormat;
import org.registryaudit.streaming.entity.StreamRecord;

import com.standardwebhooks.Webhook;

/**
 * The streamed shapes of a record: the archive's JSON, CEF, OCSF, CloudEvents, the RFC 5424
 * syslog message and its frame, and the Standard Webhooks signature, checked by the
 * specification's own library.
 */
class StreamFormatsTest {

    static final Instant TIME = Instant.parse("2026-12-03T10:00:00.123456Z");

    static StreamRecord push() throws Exception {
        RepositoryEventRecord push = new RepositoryEventRecord(
                "ev-1",
                TIME,
                TIME.plusSeconds(1),
                "reg.example.com",
                "Push",
                "team/app",
                "v1",
                "sha256:ab",
                "application/vnd.oci.image.manifest.v1+json",
                null,
                1234L,
                null,
                "alice|ops=x",
                "201",
                "created \\ with\nnewline",
                "10.0.0.1",
                "skopeo/1.9",
                "PUT",
                12L,
                "corr-1",
                null,
                "ContainerRegistryRepositoryEvents");
        return record(ArchiveCategory.REPOSITORY_EVENTS, push, "ev-1");
    }

    static StreamRecord failedLogin() throws Exception {
        LoginEventRecord login = new LoginEventRecord(
                "ev-2",
                TIME,
                TIME,
                "reg.example.com",
                "Login",
                "mallory",
                null,
                "401",
                "bad password",
                "203.0.113.9",
                "docker/27",
                3L,
                null,
                null,
                "ContainerRegistryLoginEvents");
        return record(ArchiveCategory.LOGIN_EVENTS, login, "ev-2");
    }

    static StreamRecord record(ArchiveCategory category, Record event, String id) {
        return new StreamRecord(id, category.name(), RecordJson.of(category, RecordColumns.of(event)));
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void theJsonRecordIsTheArchivesShape() throws Exception {
        JsonObject record = json(Formats.render(StreamFormat.JSON, push()));
        assertEquals("2026-12-03T10:00:00.123456Z", record.getString("time"));
        assertEquals("/REGISTRIES/reg.example.com", record.getString("resourceId"));
        assertEquals("ContainerRegistryRepositoryEvents", record.getString("category"));
        assertEquals("Push", record.getString("operationName"));
        assertEquals("alice|ops=x", record.getString("identity"));
        assertEquals(12, record.getInt("durationMs"));
        JsonObject properties = record.getJsonObject("properties");
        assertEquals("team/app", properties.getString("Repository"));
        assertEquals(1234, properties.getInt("Size"));
        assertEquals("2026-12-03T10:00:01.123456Z", properties.getString("ReceivedAt"));
        assertTrue(!properties.containsKey("ArtifactType"), "nulls are left out");
    }

    @Test
    void cefEscapesItsSeparatorsAndMarksFailures() throws Exception {
        String push = Formats.render(StreamFormat.CEF, push());
        assertTrue(
                push.startsWith("CEF:0|Registry Audit|registry-audit|1|ContainerRegistryRepositoryEvents:Push|Push|3|"),
                push);
        assertTrue(push.contains(" suser=alice|ops\\=x "), push);
        assertTrue(push.contains(" reason=created \\\\ with\\nnewline "), push);
        assertTrue(push.contains("|3|rt=" + TIME.toEpochMilli() + " "), push);
        assertTrue(push.contains(" cs1=team/app cs1Label=repository"), push);
        assertTrue(!push.contains("\n"), "one line");
        assertTrue(Formats.render(StreamFormat.CEF, failedLogin()).contains("|Login|7|"));
    }

    @Test
    void ocsfClassesFollowTheCategory() throws Exception {
        JsonObject push = json(Formats.render(StreamFormat.OCSF, push()));
        assertEquals(6003, push.getInt("class_uid"));
        assertEquals(600301, push.getInt("type_uid"));
        assertEquals(
                "alice|ops=x", push.getJsonObject("actor").getJsonObject("user").getString("name"));
        assertEquals("team/app", push.getJsonArray("resources").getJsonObject(0).getString("name"));
        assertEquals("ev-1", push.getJsonObject("metadata").getString("uid"));
        assertEquals(1, push.getInt("status_id"));
        assertEquals(TIME.toEpochMilli(), push.getJsonNumber("time").longValue());

        JsonObject login = json(Formats.render(StreamFormat.OCSF, failedLogin()));
        assertEquals(3002, login.getInt("class_uid"));
        assertEquals(300201, login.getInt("type_uid"));
        assertEquals("Logon", login.getString("activity_name"));
        assertEquals(2, login.getInt("status_id"));
        assertEquals("mallory", login.getJsonObject("user").getString("name"));
        assertEquals("203.0.113.9", login.getJsonObject("src_endpoint").getString("ip"));
    }

    @Test
    void aCloudEventCarriesTheRecordAsData() throws Exception {
        JsonObject event = json(Formats.render(StreamFormat.CLOUDEVENTS, push()));
        assertEquals("1.0", event.getString("specversion"));
        assertEquals("ev-1", event.getString("id"));
        assertEquals("/REGISTRIES/reg.example.com", event.getString("source"));
        assertEquals("org.registryaudit.ContainerRegistryRepositoryEvents.Push", event.getString("type"));
        assertEquals("team/app", event.getString("subject"));
        assertEquals(json(push().json()), event.getJsonObject("data"));
        JsonObject ocsf = json(Formats.render(StreamFormat.OCSF, push()));
        assertEquals(json(push().json()), ocsf.getJsonObject("unmapped"), "OCSF keeps the whole record");
    }

    @Test
    void syslogMessagesAreRfc5424AndOctetCounted() throws Exception {
        String message = SyslogMessage.of(failedLogin(), "hé");
        assertEquals(
                "<108>1 2026-12-03T10:00:00.123456Z reg.example.com registry-audit - Login "
                        + "[audit@32473 id=\"ev-2\" category=\"ContainerRegistryLoginEvents\"] hé",
                message);
        byte[] frame = SyslogMessage.framed(message);
        int length = message.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(length + " " + message, new String(frame, StandardCharsets.UTF_8));
        assertTrue(SyslogMessage.of(push(), "x").startsWith("<110>1 "), "informational for a success");
        assertEquals("a\\\"b\\]c\\\\", SyslogMessage.param("a\"b]c\\"));
        assertEquals("bad_host", SyslogMessage.header("bad host", 255));
    }

    @Test
    void signaturesVerifyWithTheStandardWebhooksLibrary() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String body = Formats.render(StreamFormat.CLOUDEVENTS, push());
        long now = Instant.now().getEpochSecond();
        String signature = new WebhookSignature(secret).sign("ev-1", now, body);
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of("ev-1"),
                "webhook-timestamp", List.of(Long.toString(now)),
                "webhook-signature", List.of(signature));
        new Webhook(secret).verify(body, headers);
        assertThrows(Exception.class, () -> new Webhook(secret).verify(body + " ", headers), "a changed body fails");
        Map<String, List<String>> old = Map.of(
                "webhook-id", List.of("ev-1"),
                "webhook-timestamp", List.of(Long.toString(now - 3600)),
                "webhook-signature", List.of(new WebhookSignature(secret).sign("ev-1", now - 3600, body)));
        assertThrows(Exception.class, () -> new Webhook(secret).verify(body, old), "a replay an hour later fails");
    }

    @Test
    void badSecretsAreRefusedWithoutShowingThem() {
        for (String secret : List.of("plain-password", "whsec_not base64!", "whsec_c2hvcnQ=")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new WebhookSignature(secret));
            assertTrue(!e.getMessage().contains(secret), e.getMessage());
        }
    }
}
