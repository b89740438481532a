package org.registryaudit.archive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Azure storage archive layout and the digest periods. */
class ArchiveLayoutTest {

    @Test
    void placesFilesAsTheAzureStorageArchiveDoes() {
        Instant hour = Instant.parse("2026-03-04T05:00:00Z");
        assertEquals(
                "insights-logs-containerregistryrepositoryevents/resourceId=/REGISTRIES/registry.example.com:5000"
                        + "/y=2026/m=03/d=04/h=05/m=00/PT1H.json",
                ArchiveLayout.dataFile(ArchiveCategory.REPOSITORY_EVENTS, "registry.example.com:5000", hour, 0, false));
        assertEquals(
                "insights-logs-containerregistryloginevents/resourceId=/REGISTRIES/r/y=2026/m=03/d=04/h=05/m=00"
                        + "/PT1H.2.json.gz",
                ArchiveLayout.dataFile(ArchiveCategory.LOGIN_EVENTS, "r", hour, 2, true));
        // a source that is no safe path segment
        assertEquals(
                "insights-logs-trustchanges/resourceId=/REGISTRIES/%2E.%2Fetc%2Fpasswd/y=2026/m=03/d=04/h=05/m=00/PT1H.json",
                ArchiveLayout.dataFile(ArchiveCategory.TRUST_CHANGES, "../etc/passwd", hour, 0, false));
    }

    /** Two login servers never share a directory: {@code col/x} and {@code col_x} once did. */
    @Test
    void everyNameHasItsOwnSegment() {
        assertEquals("col%2Fx", ArchiveLayout.safe("col/x"));
        assertEquals("col_x", ArchiveLayout.safe("col_x"));
        assertEquals("100%25", ArchiveLayout.safe("100%"));
        assertEquals("%C3%A9", ArchiveLayout.safe("\u00e9"));
        assertEquals("%00", ArchiveLayout.safe(""));
        assertEquals("%2E", ArchiveLayout.safe("."));
        assertEquals("%2E.", ArchiveLayout.safe(".."));
        Random random = new Random(15);
        String alphabet = "aZ09._:-/%\\ \u00e9\n?*";
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String segment = ArchiveLayout.safe(name.toString());
            assertTrue(segment.matches("[A-Za-z0-9._:%-]+") && !segment.startsWith("."), segment);
            String before = seen.putIfAbsent(segment, name.toString());
            assertTrue(before == null || before.equals(name.toString()), before + " and " + name + " share " + segment);
        }
    }

    @Test
    void digestsCoverWholePeriods() {
        Instant t = Instant.parse("2026-03-04T05:47:13Z");
        assertEquals(Instant.parse("2026-03-04T05:00:00Z"), ArchiveLayout.floor(t, Duration.ofHours(1)));
        assertEquals(Instant.parse("2026-03-04T05:45:00Z"), ArchiveLayout.floor(t, Duration.ofMinutes(15)));
        assertEquals(
                "registry-audit-digests/y=2026/m=03/d=04/h=05/m=45/digest.json",
                ArchiveLayout.digestFile(Instant.parse("2026-03-04T05:45:00Z")));
        assertEquals(
                "2026-03-04T06:00:00Z\nregistry-audit-digests/x/digest.json\nab12\n",
                ArchiveVerification.signedText(
                        "2026-03-04T06:00:00Z", "registry-audit-digests/x/digest.json", "ab12", null));
    }
}
