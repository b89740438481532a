package org.registryaudit.platform.control;

/**
 * JSON text written by hand, for the two outputs that write millions of values: archive records
 * and changefeed pages. A JSON-P generator escapes char by char and checks its state at every
 * call; these write straight into a StringBuilder.
 */
public final class JsonText {

    private JsonText() {}

    /**
     * A JSON string (RFC 8259): quote, backslash and control characters escaped, the rest as is;
     * {@code null} for null.
     * The text between escapes is appended in runs, not char by char, which took a quarter of the
     * archive's samples (JFR).
     */
    public static void escape(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default ->
                    b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        b.append(s, run, s.length()).append('"');
    }
}
