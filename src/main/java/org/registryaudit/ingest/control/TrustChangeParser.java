package org.registryaudit.ingest.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.changefeed.entity.TrustChangeRecord;

/**
 * Reads a trust-change record of docs/jms-contract.md: {@code CreatedAt}, {@code GUN},
 * {@code Category} ({@code update} with {@code Version} ≥ 1 and the timestamp's {@code SHA256}, or
 * {@code deletion} without either), optional {@code Source} (else the message's login server) and
 * optional {@code EventId}. Without an EventId the id is derived from the change itself, so a
 * redelivered change is still stored once.
 */
final class TrustChangeParser {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private TrustChangeParser() {}

    static TrustChangeRecord parse(JsonObject change, String path, String loginServer) {
        Fields f = new Fields(change, path);
        Instant createdAt = f.time("CreatedAt");
        String gun = f.required("GUN", 255);
        String category = f.required("Category", 16);
        Long version = f.number("Version");
        String sha256 = f.text("SHA256", 64);
        String source = f.text("Source", 255);
        switch (category) {
            case TrustChange.UPDATE -> {
                if (version == null || version < 1 || version > Integer.MAX_VALUE) {
                    throw new InvalidMessageException(path + ".Version must be the new timestamp's version, "
                            + "from 1 to " + Integer.MAX_VALUE + ", for an update");
                }
                if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                    throw new InvalidMessageException(path + ".SHA256 must be the lowercase hex SHA-256 of the new "
                            + "timestamp.json (64 characters) for an update");
                }
            }
            case TrustChange.DELETION -> {
                if ((version != null && version != 0) || sha256 != null) {
                    throw new InvalidMessageException(path + ": a deletion has Version 0 and an empty SHA256");
                }
                version = 0L;
            }
            default ->
                throw new InvalidMessageException(
                        path + ".Category must be 'update' or 'deletion', not '" + category + "'");
        }
        if (source == null) {
            source = loginServer == null || loginServer.isBlank() ? null : loginServer;
        }
        String eventId = f.text("EventId", 128);
        if (eventId == null) {
            eventId = derivedId(source, gun, category, version, sha256, createdAt);
        }
        return new TrustChangeRecord(eventId, createdAt, gun, version.intValue(), sha256, category, source);
    }

    private static String derivedId(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            text.append(part).append('\n');
        }
        try {
            return "trust:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
