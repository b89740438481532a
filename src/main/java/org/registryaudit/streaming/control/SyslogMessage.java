package org.registryaudit.streaming.control;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.json.JsonObject;

import org.registryaudit.platform.control.InstantText;
import org.registryaudit.streaming.entity.StreamRecord;

/**
 * One record as an RFC 5424 syslog message, framed by octet counting (RFC 5425 for TLS, RFC 6587
 * for TCP): {@code LENGTH SP <PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [SD] MSG}.
 *
 * <ul>
 *   <li>PRI: facility 13 (log audit); severity informational (6), or warning (4) for a failure.
 *   <li>HOSTNAME: the registry's login server, whose event it is (a SIEM groups by it).
 *   <li>MSGID: the operation (Push, Pull, Login...).
 *   <li>Structured data {@code [audit@32473 id="…" category="…"]}: the record's id, by which a
 *       receiver drops repeats (32473 is the enterprise number RFC 5612 sets aside for examples).
 *   <li>MSG: the record in the destination's format, one line.
 * </ul>
 */
public final class SyslogMessage {

    static final int FACILITY_LOG_AUDIT = 13;
    static final String APP_NAME = "registry-audit";
    static final String SD_ID = "audit@32473";

    private SyslogMessage() {}

    /** The message without its frame. */
    public static String of(StreamRecord record, String message) {
        return of(record, Formats.parse(record), message);
    }

    /** @param json the record's JSON, parsed */
    public static String of(StreamRecord record, JsonObject json, String message) {
        int severity = Formats.failed(json) ? 4 : 6;
        StringBuilder b = new StringBuilder(message.length() + 200);
        b.append('<').append(FACILITY_LOG_AUDIT * 8 + severity).append(">1 ");
        new InstantText().append(b, Instant.parse(json.getString("time")).truncatedTo(ChronoUnit.MICROS));
        b.append(' ').append(header(Formats.loginServer(json), 255));
        b.append(' ').append(APP_NAME).append(" - ");
        b.append(header(Formats.operation(json), 32));
        b.append(" [").append(SD_ID);
        b.append(" id=\"").append(param(record.id())).append('"');
        b.append(" category=\"").append(param(record.category())).append("\"] ");
        return b.append(message.replace('\n', ' ').replace('\r', ' ')).toString();
    }

    /** The frame: the message's length in octets, a space, the message. */
    public static byte[] framed(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] length = (body.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[length.length + body.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(body, 0, frame, length.length, body.length);
        return frame;
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, "-" if empty. */
    static String header(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length() && b.length() < max; i++) {
            char c = value.charAt(i);
            b.append(c > 32 && c < 127 ? c : '_');
        }
        return b.toString();
    }

    /** A structured-data parameter value: {@code "}, {@code \} and {@code ]} escaped. */
    static String param(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }
}
