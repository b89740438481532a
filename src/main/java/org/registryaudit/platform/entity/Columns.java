package org.registryaudit.platform.entity;

/**
 * Text fitted to its column. An over-long value (a User-Agent of 5,000 characters, a 300-character
 * login server) must never cost the record it belongs to: the database would refuse the row, the
 * login event would be lost and a queued message would be redelivered forever. So the value is cut
 * at the column's length, and the cut is marked at its end.
 */
public final class Columns {

    static final String MARK = "…[cut]";

    private Columns() {
    }

    /** The value, or its first characters and {@link #MARK} when it is longer than {@code length}. */
    public static String fit(String value, int length) {
        if (value == null || value.length() <= length) {
            return value;
        }
        int keep = length - MARK.length();
        if (Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--; // never half a character
        }
        return value.substring(0, keep) + MARK;
    }
}
