package org.registryaudit.platform.entity;

/**
 * Text fitted to its column. An over-long value (a User-Agent of 5,000 characters, a 300-character
 * login server) must never cost the record it belongs to: the database would refuse the row, the
 * login event would be lost and a queued message would be redelivered forever. So the value is cut
 * at the column's length, and the cut is marked at its end.
 */
public final class Columns {

    static final String MARK = "…[cut]";

    private Columns() {}

    /**
     * A one-line value (a user name, an identity) fitted to its column, with every control
     * character written as a backslash, u and four hex digits: a name sent as {@code "mallory\r\nadmin"} must not read as two
     * lines in an export, a log or a console.
     */
    public static String fitLine(String value, int length) {
        return fit(oneLine(value), length);
    }

    /** The text with control characters (CR, LF, tab, NUL, DEL, the line separators) escaped (a backslash, u and four hex digits). */
    public static String oneLine(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder line = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029';
            if (control && line == null) {
                line = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (line != null) {
                if (control) {
                    line.append(String.format("\\u%04x", (int) c));
                } else {
                    line.append(c);
                }
            }
        }
        return line == null ? value : line.toString();
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
