package org.registryaudit.platform.control;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The text {@link Instant#toString()} gives a time ({@code 2025-03-04T05:06:07.123Z}: UTC, seconds
 * always, the fraction in groups of three digits as needed), written without a
 * {@code DateTimeFormatter}, which took a fifth of the archive's samples (JFR) at two times per
 * record. The date and hour are kept from the call before, since an archive file's records share
 * their hour, and a changefeed page's are close. One per column or page: not thread-safe.
 */
public final class InstantText {

    private long hour = Long.MIN_VALUE;
    private String prefix;

    public void append(StringBuilder b, Instant time) {
        long second = time.getEpochSecond();
        int nano = time.getNano();
        long h = Math.floorDiv(second, 3600);
        if (h != hour) {
            LocalDateTime start = LocalDateTime.ofEpochSecond(h * 3600, 0, ZoneOffset.UTC);
            if (start.getYear() < 1000 || start.getYear() > 9999) {
                b.append(time); // a sign or fewer digits: Instant's own text
                return;
            }
            prefix = start.toString().substring(0, 14); // 2025-03-04T05:
            hour = h;
        }
        int inHour = (int) (second - h * 3600);
        int minute = inHour / 60;
        int sec = inHour % 60;
        b.append(prefix)
                .append((char) ('0' + minute / 10))
                .append((char) ('0' + minute % 10))
                .append(':')
                .append((char) ('0' + sec / 10))
                .append((char) ('0' + sec % 10));
        if (nano > 0) {
            if (nano % 1_000_000 == 0) {
                padded(b, nano / 1_000_000, 1000);
            } else if (nano % 1000 == 0) {
                padded(b, nano / 1000, 1_000_000);
            } else {
                padded(b, nano, 1_000_000_000);
            }
        }
        b.append('Z');
    }

    /** A dot and {@code value} with leading zeros to the width of {@code limit - 1}. */
    private static void padded(StringBuilder b, int value, int limit) {
        b.append('.');
        for (long next = value * 10L; next < limit; next *= 10) {
            b.append('0');
        }
        b.append(value);
    }
}
