package org.registryaudit.archive.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Where things go in the archive directory, as in the Azure storage archive:
 * {@code insights-logs-<category>/resourceId=/REGISTRIES/<login server>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json}
 * (a second part of the same hour, for records that arrived after the first was written or beyond
 * the records per file, is {@code PT1H.<part>.json}), and the digests under
 * {@code registry-audit-digests/y=…/m=…/d=…/h=…/m=…/digest.json} with {@code digest.json.sig}.
 */
public final class ArchiveLayout {

    public static final String DIGESTS = "registry-audit-digests";
    public static final String PUBLIC_KEY = DIGESTS + "/public-key.pem";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private ArchiveLayout() {}

    public static String dataFile(ArchiveCategory category, String server, Instant hour, int part, boolean gzip) {
        ZonedDateTime t = hour.atZone(ZoneOffset.UTC);
        return "%s/resourceId=/REGISTRIES/%s/y=%04d/m=%02d/d=%02d/h=%02d/m=00/PT1H%s.json%s"
                .formatted(
                        category.container(),
                        safe(server),
                        t.getYear(),
                        t.getMonthValue(),
                        t.getDayOfMonth(),
                        t.getHour(),
                        part == 0 ? "" : "." + part,
                        gzip ? ".gz" : "");
    }

    public static String digestFile(Instant periodStart) {
        ZonedDateTime t = periodStart.atZone(ZoneOffset.UTC);
        return "%s/y=%04d/m=%02d/d=%02d/h=%02d/m=%02d/digest.json"
                .formatted(DIGESTS, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute());
    }

    /**
     * A login server or source as one path segment, one-to-one: letters, digits and {@code . _ : -}
     * stay, every other character (and a leading dot, so no segment is {@code .} or {@code ..}) is
     * percent-encoded as its UTF-8 bytes. Two names never share a segment: {@code col/x} and
     * {@code col_x} once did, and the second's file overwrote the first's.
     */
    static String safe(String server) {
        if (server.isEmpty()) {
            return "%00"; // no name holds NUL
        }
        StringBuilder safe = new StringBuilder(server.length());
        byte[] bytes = server.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b >= 'a' && b <= 'z'
                    || b >= 'A' && b <= 'Z'
                    || b >= '0' && b <= '9'
                    || b == '_'
                    || b == ':'
                    || b == '-'
                    || b == '.' && i > 0;
            if (plain) {
                safe.append((char) b);
            } else {
                safe.append('%').append(HEX.toHexDigits((byte) b));
            }
        }
        return safe.toString();
    }

    public static Instant floor(Instant time, Duration period) {
        long seconds = period.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), seconds) * seconds);
    }

    public static Instant hourOf(Instant time) {
        return time.truncatedTo(ChronoUnit.HOURS);
    }
}
