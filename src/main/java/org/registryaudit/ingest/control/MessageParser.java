package org.registryaudit.ingest.control;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.registryaudit.changefeed.entity.TrustChangeRecord;
import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.events.entity.RepositoryEventRecord;

/**
 * Reads the bodies of docs/jms-contract.md: distribution notification envelopes (v1, v2 or plain
 * JSON) and canonical repository-event, login-event and trust-change records, one or an array. A body that is
 * not one of these throws {@link InvalidMessageException}; a single bad event inside a good body
 * becomes a {@link Batch.Rejection} so that the valid events beside it are still stored.
 */
public class MessageParser {

    public static final String DISTRIBUTION_V1 = "application/vnd.docker.distribution.events.v1+json";
    public static final String DISTRIBUTION_V2 = "application/vnd.docker.distribution.events.v2+json";
    public static final String REPOSITORY_EVENTS = "application/vnd.registryaudit.repository-event+json";
    public static final String LOGIN_EVENTS = "application/vnd.registryaudit.login-event+json";
    public static final String TRUST_CHANGES = "application/vnd.registryaudit.trust-change+json";

    /** More events than this in one message are refused: split the batch. */
    public static final int MAX_EVENTS = 1000;
    /** The LoginServer column's length. */
    public static final int MAX_LOGIN_SERVER = 255;

    /** Looked up once: Json.createReader would search the service loader on every message. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final NotificationParser notifications = new NotificationParser();

    public Batch parse(String body, String contentType, String loginServer) {
        checkLoginServer(loginServer);
        String type = mediaType(contentType);
        JsonValue json = read(body);
        return switch (type) {
            case "", "application/json", DISTRIBUTION_V1, DISTRIBUTION_V2 -> envelope(json, loginServer);
            case REPOSITORY_EVENTS -> {
                Parsed<RepositoryEventRecord> events =
                        collect(records(json), "records", (event, path) -> repositoryRecord(event, path, loginServer));
                yield new Batch(events.records(), List.of(), List.of(), events.rejections());
            }
            case LOGIN_EVENTS -> {
                Parsed<LoginEventRecord> events =
                        collect(records(json), "records", (event, path) -> loginRecord(event, path, loginServer));
                yield new Batch(List.of(), events.records(), List.of(), events.rejections());
            }
            case TRUST_CHANGES -> {
                Parsed<TrustChangeRecord> changes = collect(
                        records(json), "records", (change, path) -> TrustChangeParser.parse(change, path, loginServer));
                yield new Batch(List.of(), List.of(), changes.records(), changes.rejections());
            }
            default ->
                throw new InvalidMessageException("contentType '" + contentType + "' is not one of "
                        + String.join(
                                ", ",
                                DISTRIBUTION_V1,
                                DISTRIBUTION_V2,
                                REPOSITORY_EVENTS,
                                LOGIN_EVENTS,
                                TRUST_CHANGES));
        };
    }

    /** Checks the shape of a notification envelope without storing anything (the webhook's fast check). */
    /**
     * The body's text, strictly UTF-8: a malformed byte is refused, never stored as U+FFFD, which
     * would change the record silently.
     */
    public static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new InvalidMessageException("the body is not UTF-8: byte " + in.position() + " (0x"
                    + Integer.toHexString(bytes[in.position()] & 0xff) + ") is not part of a UTF-8 character");
        }
        return out.flip().toString();
    }

    /** The login server named beside a body (a JMS property, the webhook's query parameter). */
    public static void checkLoginServer(String loginServer) {
        if (loginServer != null && loginServer.length() > MAX_LOGIN_SERVER) {
            throw new InvalidMessageException("loginServer is " + loginServer.length() + " characters long; at most "
                    + MAX_LOGIN_SERVER + " are allowed");
        }
    }

    public int checkEnvelope(String body) {
        JsonValue json = read(body);
        return events(json).size();
    }

    /** Whether a Content-Type names a distribution notification envelope. */
    public static boolean isNotification(String contentType) {
        String type = mediaType(contentType);
        return type.equals(DISTRIBUTION_V1) || type.equals(DISTRIBUTION_V2) || type.equals("application/json");
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType)
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    private static JsonValue read(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the body is empty");
        }
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            return reader.readValue();
        } catch (JsonException e) {
            throw new InvalidMessageException("the body is not valid JSON: " + e.getMessage());
        }
    }

    private static JsonArray events(JsonValue json) {
        if (json.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidMessageException("a notification envelope must be a JSON object with an 'events' array");
        }
        JsonValue events = json.asJsonObject().get("events");
        if (events == null || events.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidMessageException("a notification envelope must have an 'events' array");
        }
        if (events.asJsonArray().size() > MAX_EVENTS) {
            throw new InvalidMessageException("the envelope holds "
                    + events.asJsonArray().size() + " events; at most " + MAX_EVENTS + " are accepted in one message");
        }
        return events.asJsonArray();
    }

    private Batch envelope(JsonValue json, String loginServer) {
        Parsed<RepositoryEventRecord> events =
                collect(events(json), "events", (event, path) -> notifications.parse(event, path, loginServer));
        return new Batch(events.records(), List.of(), List.of(), events.rejections());
    }

    private static JsonArray records(JsonValue json) {
        JsonArray array = json.getValueType() == JsonValue.ValueType.ARRAY
                ? json.asJsonArray()
                : JSON.createArrayBuilder().add(json).build();
        if (array.size() > MAX_EVENTS) {
            throw new InvalidMessageException("the message holds " + array.size() + " records; at most " + MAX_EVENTS
                    + " are accepted in one message");
        }
        return array;
    }

    /** What came out of an array of events: the valid ones, and a rejection for each bad one. */
    private record Parsed<T>(List<T> records, List<Batch.Rejection> rejections) {}

    private static <T> Parsed<T> collect(JsonArray array, String name, BiFunction<JsonObject, String, T> parser) {
        List<T> records = new ArrayList<>();
        List<Batch.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonValue value = array.get(i);
            String path = name + "[" + i + "]";
            try {
                if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                    throw new InvalidMessageException(path + " must be a JSON object");
                }
                records.add(parser.apply(value.asJsonObject(), path));
            } catch (InvalidMessageException e) {
                rejections.add(new Batch.Rejection(value.toString(), e.getMessage()));
            }
        }
        return new Parsed<>(records, rejections);
    }

    static RepositoryEventRecord repositoryRecord(JsonObject event, String path, String loginServer) {
        Fields f = new Fields(event, path);
        return new RepositoryEventRecord(
                f.required("EventId", 128),
                f.time("TimeGenerated"),
                null,
                loginServer(f, loginServer),
                operation(f),
                f.required("Repository", 255),
                f.text("Tag", 128),
                f.text("Digest", 160),
                f.text("MediaType", 255),
                f.text("ArtifactType", 255),
                f.number("Size"),
                f.text("FromRepository", 255),
                f.text("Identity", 255),
                f.text("ResultType", 32),
                f.text("ResultDescription", 1024),
                f.text("CallerIpAddress", 64),
                f.text("UserAgent", 1024),
                f.text("HttpMethod", 16),
                f.number("DurationMs"),
                f.text("CorrelationId", 128),
                f.text("Region", 64),
                RepositoryEvent.CATEGORY);
    }

    static LoginEventRecord loginRecord(JsonObject event, String path, String loginServer) {
        Fields f = new Fields(event, path);
        String operation = f.text("OperationName", 32);
        return new LoginEventRecord(
                f.required("EventId", 128),
                f.time("TimeGenerated"),
                null,
                loginServer(f, loginServer),
                operation != null ? operation : "Login",
                f.text("Identity", 255),
                f.text("JwtId", 128),
                f.required("ResultType", 32),
                f.text("ResultDescription", 1024),
                f.text("CallerIpAddress", 64),
                f.text("UserAgent", 1024),
                f.number("DurationMs"),
                f.text("CorrelationId", 128),
                f.text("Region", 64),
                LoginEvent.CATEGORY);
    }

    private static String loginServer(Fields f, String fromProperty) {
        String value = f.text("LoginServer", 255);
        if (value != null) {
            return value;
        }
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        return f.required("LoginServer", 255);
    }

    private static String operation(Fields f) {
        String operation = f.required("OperationName", 32);
        if (!operation.chars().allMatch(Character::isLetter)) {
            throw new InvalidMessageException("OperationName '" + operation + "' must consist of letters only");
        }
        return operation;
    }
}
