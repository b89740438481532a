package org.registryaudit.streaming.control;

import java.io.StringReader;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.streaming.entity.StreamFormat;
import org.registryaudit.streaming.entity.StreamRecord;

/**
 * Renders a streamed record in a destination's format. Every format is made from the archive's
 * JSON record, so a streamed record says what the archive will say of it. A result type is the
 * HTTP status as text; one that does not start with 2 is a failure (severity and status say so).
 */
public final class Formats {

    static final String PRODUCT = "Registry Audit";
    static final String OCSF_VERSION = "1.1.0";

    private Formats() {}

    public static String render(StreamFormat format, StreamRecord record) {
        return render(format, record, parse(record));
    }

    /** @param json the record's JSON, parsed once by the caller for every use of it */
    public static String render(StreamFormat format, StreamRecord record, JsonObject json) {
        return switch (format) {
            case JSON -> record.json();
            case CEF -> cef(record, json);
            case OCSF -> withRecord(ocsf(record, json), "unmapped", record);
            case CLOUDEVENTS -> withRecord(cloudEvent(record, json), "data", record);
        };
    }

    /** The object's text with the record's own JSON text as its last member: not serialized again. */
    private static String withRecord(JsonObject object, String member, StreamRecord record) {
        String text = object.toString();
        return text.substring(0, text.length() - 1) + ",\"" + member + "\":" + record.json() + "}";
    }

    /** The media type of one rendered record. */
    public static String mediaType(StreamFormat format) {
        return switch (format) {
            case CEF -> "text/plain; charset=utf-8";
            case CLOUDEVENTS -> "application/cloudevents+json";
            default -> "application/json";
        };
    }

    static JsonObject parse(StreamRecord record) {
        try (var reader = Json.createReader(new StringReader(record.json()))) {
            return reader.readObject();
        }
    }

    static boolean failed(JsonObject json) {
        String result = json.getString("resultType", null);
        return result != null && !result.startsWith("2");
    }

    static String operation(JsonObject json) {
        return json.getString("operationName", "-");
    }

    static String loginServer(JsonObject json) {
        return properties(json).getString("LoginServer", "-");
    }

    static JsonObject properties(JsonObject json) {
        JsonValue properties = json.get("properties");
        return properties instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    }

    // --- CEF -------------------------------------------------------------------------------

    /**
     * {@code CEF:0|vendor|product|version|signature|name|severity|extension}: the header escapes
     * {@code \} and {@code |}, the extension {@code \}, {@code =} and line breaks. Standard keys
     * where CEF has them, custom string fields (with their labels) for the rest.
     */
    static String cef(StreamRecord record, JsonObject json) {
        JsonObject p = properties(json);
        StringBuilder b = new StringBuilder(512).append("CEF:0|");
        b.append(header(PRODUCT))
                .append('|')
                .append("registry-audit")
                .append('|')
                .append("1")
                .append('|');
        b.append(header(record.category() + ":" + operation(json))).append('|');
        b.append(header(operation(json))).append('|');
        b.append(failed(json) ? 7 : 3).append('|');
        StringBuilder ext = new StringBuilder();
        extension(
                ext, "rt", String.valueOf(Instant.parse(json.getString("time")).toEpochMilli()));
        extension(ext, "externalId", record.id());
        extension(ext, "act", operation(json));
        extension(ext, "outcome", json.getString("resultType", null));
        extension(ext, "reason", json.getString("resultDescription", null));
        extension(ext, "suser", json.getString("identity", null));
        extension(ext, "src", json.getString("callerIpAddress", null));
        extension(ext, "dhost", loginServer(json));
        extension(ext, "requestClientApplication", p.getString("UserAgent", null));
        extension(ext, "requestMethod", p.getString("HttpMethod", null));
        extension(ext, "cat", record.category());
        custom(ext, 1, "repository", p.getString("Repository", null));
        custom(ext, 2, "tag", p.getString("Tag", null));
        custom(ext, 3, "digest", p.getString("Digest", null));
        custom(ext, 4, "correlationId", json.getString("correlationId", null));
        return b.append(ext.toString().trim()).toString();
    }

    private static String header(String value) {
        return value.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\r\n]", " ");
    }

    private static void extension(StringBuilder b, String key, String value) {
        if (value == null) {
            return;
        }
        b.append(' ')
                .append(key)
                .append('=')
                .append(value.replace("\\", "\\\\")
                        .replace("=", "\\=")
                        .replace("\r", "\\r")
                        .replace("\n", "\\n"));
    }

    private static void custom(StringBuilder b, int n, String label, String value) {
        if (value != null) {
            extension(b, "cs" + n, value);
            extension(b, "cs" + n + "Label", label);
        }
    }

    // --- OCSF ------------------------------------------------------------------------------

    /** Push, pull and delete as the API activities of OCSF: create, read, delete. */
    private static final Map<String, Integer> API_ACTIVITY =
            Map.of("push", 1, "mount", 1, "pull", 2, "delete", 4, "untag", 4);

    private static final Map<Integer, String> ACTIVITY_NAMES =
            Map.of(1, "Create", 2, "Read", 3, "Update", 4, "Delete", 99, "Other");

    /**
     * Authentication (3002, Logon) for login events, API Activity (6003) for repository events.
     * The archive's record rides along under {@code unmapped} (added by {@link #render}), so
     * nothing is lost in the mapping.
     */
    static JsonObject ocsf(StreamRecord record, JsonObject json) {
        JsonObject p = properties(json);
        boolean login = record.category().equals(LoginEvent.CATEGORY);
        int classUid = login ? 3002 : 6003;
        int activity = login
                ? (operation(json).equalsIgnoreCase("Login") ? 1 : 99)
                : API_ACTIVITY.getOrDefault(operation(json).toLowerCase(Locale.ROOT), 99);
        boolean failed = failed(json);
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("class_uid", classUid)
                .add("class_name", login ? "Authentication" : "API Activity")
                .add("category_uid", login ? 3 : 6)
                .add("category_name", login ? "Identity & Access Management" : "Application Activity")
                .add("activity_id", activity)
                .add("activity_name", login && activity == 1 ? "Logon" : ACTIVITY_NAMES.get(activity))
                .add("type_uid", classUid * 100 + activity)
                .add("time", Instant.parse(json.getString("time")).toEpochMilli())
                .add("severity_id", failed ? 3 : 1)
                .add("severity", failed ? "Medium" : "Informational")
                .add("status_id", failed ? 2 : 1)
                .add("status", failed ? "Failure" : "Success");
        optional(o, "status_code", json.getString("resultType", null));
        optional(o, "status_detail", json.getString("resultDescription", null));
        if (json.containsKey("durationMs")) {
            o.add("duration", json.getJsonNumber("durationMs").longValue());
        }
        JsonObjectBuilder user = Json.createObjectBuilder();
        optional(user, "name", json.getString("identity", null));
        JsonObjectBuilder source = Json.createObjectBuilder();
        optional(source, "ip", json.getString("callerIpAddress", null));
        JsonObjectBuilder http = Json.createObjectBuilder();
        optional(http, "user_agent", p.getString("UserAgent", null));
        optional(http, "http_method", p.getString("HttpMethod", null));
        o.add("src_endpoint", source).add("http_request", http);
        if (login) {
            o.add("user", user)
                    .add("dst_endpoint", Json.createObjectBuilder().add("hostname", loginServer(json)))
                    .add("service", Json.createObjectBuilder().add("name", loginServer(json)));
        } else {
            JsonObjectBuilder resource = Json.createObjectBuilder().add("type", "container repository");
            optional(resource, "name", p.getString("Repository", null));
            optional(resource, "uid", p.getString("Digest", null));
            JsonObjectBuilder api = Json.createObjectBuilder()
                    .add("operation", operation(json))
                    .add("service", Json.createObjectBuilder().add("name", loginServer(json)));
            o.add("actor", Json.createObjectBuilder().add("user", user))
                    .add("api", api)
                    .add("resources", Json.createArrayBuilder().add(resource));
        }
        JsonObjectBuilder metadata = Json.createObjectBuilder()
                .add("version", OCSF_VERSION)
                .add("uid", record.id())
                .add("log_name", record.category())
                .add("product", Json.createObjectBuilder().add("name", PRODUCT).add("vendor_name", PRODUCT));
        optional(metadata, "correlation_uid", json.getString("correlationId", null));
        return o.add("metadata", metadata).build();
    }

    private static void optional(JsonObjectBuilder o, String name, String value) {
        if (value != null) {
            o.add(name, value);
        }
    }

    // --- CloudEvents -----------------------------------------------------------------------

    /**
     * A CloudEvents 1.0 event in the structured JSON mode: the record's id, the registry as the
     * source, the category and operation as the type, the JSON record as the data (added by
     * {@link #render}).
     */
    static JsonObject cloudEvent(StreamRecord record, JsonObject json) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("specversion", "1.0")
                .add("id", record.id())
                .add("source", json.getString("resourceId", "/REGISTRIES/-"))
                .add("type", "org.registryaudit." + record.category() + "." + operation(json))
                .add("time", json.getString("time"))
                .add("datacontenttype", "application/json");
        String subject = properties(json).getString("Repository", json.getString("identity", null));
        optional(o, "subject", subject);
        return o.build();
    }
}
