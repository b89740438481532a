package org.registryaudit.platform.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Over-long values are cut to their column and marked, never refused with the whole record. */
class ColumnsTest {

    @Test
    void cutsAndMarksWhatIsTooLong() {
        assertNull(Columns.fit(null, 10));
        assertEquals("short", Columns.fit("short", 10));
        assertEquals("x".repeat(10), Columns.fit("x".repeat(10), 10));
        String cut = Columns.fit("y".repeat(5000), 1024);
        assertEquals(1024, cut.length());
        assertTrue(cut.endsWith(Columns.MARK) && cut.startsWith("yyyy"), cut);
    }

    @Test
    void writesControlCharactersOfOneLineValuesAsEscapes() {
        assertEquals("mallory\\u000d\\u000aadmin", Columns.oneLine("mallory\r\nadmin"));
        assertEquals("a\\u0009b\\u0000c\\u2028", Columns.oneLine("a\tb\u0000c\u2028"));
        assertEquals("plain \u00e9", Columns.oneLine("plain \u00e9"));
        assertNull(Columns.oneLine(null));
        assertEquals(20, Columns.fitLine("\n".repeat(20), 20).length());
    }

    @Test
    void neverCutsACharacterInHalf() {
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        String cut = Columns.fit("a".repeat(3) + emoji.repeat(20), 12);
        assertTrue(cut.length() <= 12, cut);
        assertTrue(!Character.isHighSurrogate(cut.charAt(cut.length() - Columns.MARK.length() - 1)), cut);
    }
}
