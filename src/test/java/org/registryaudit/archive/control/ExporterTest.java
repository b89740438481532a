package org.registryaudit.archive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CSV cells: RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
class ExporterTest {

    @Test
    void quotesAndDisarmsFormulas() {
        assertEquals("plain", Exporter.quoted("plain"));
        assertEquals("\"a,b\"", Exporter.quoted("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Exporter.quoted("say \"hi\""));
        assertEquals("'=cmd|' /C calc'!A0", Exporter.quoted("=cmd|' /C calc'!A0"));
        assertEquals("'@SUM(1+1)", Exporter.quoted("@SUM(1+1)"));
        assertEquals("'+1-2+3", Exporter.quoted("+1-2+3"));
        assertEquals("\"'=1,2\"", Exporter.quoted("=1,2"));
        assertEquals("'\tx", Exporter.quoted("\tx"));
        assertEquals("-5", Exporter.quoted("-5"), "a number stays a number");
        assertEquals("+12.5", Exporter.quoted("+12.5"));
        assertEquals("", Exporter.quoted(""));
    }
}
