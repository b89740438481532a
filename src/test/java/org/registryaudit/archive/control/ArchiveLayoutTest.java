package org.registryaudit.archive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.registryaudit.archive.entity.ArchiveCategory;

/** The Azure storage archive layout and the digest periods. */
class ArchiveLayoutTest {

    @Test
    void placesFilesAsTheAzureStorageArchiveDoes() {
        Instant hour = Instant.parse("2026-03-04T05:00:00Z");
        assertEquals("insights-logs-containerregistryrepositoryevents/resourceId=/REGISTRIES/registry.example.com:5000"
                + "/y=2026/m=03/d=04/h=05/m=00/PT1H.json",
                ArchiveLayout.dataFile(ArchiveCategory.REPOSITORY_EVENTS, "registry.example.com:5000", hour, 0, false));
        assertEquals("insights-logs-containerregistryloginevents/resourceId=/REGISTRIES/r/y=2026/m=03/d=04/h=05/m=00"
                + "/PT1H.2.json.gz", ArchiveLayout.dataFile(ArchiveCategory.LOGIN_EVENTS, "r", hour, 2, true));
        // a source that is no safe path segment
        assertEquals("insights-logs-trustchanges/resourceId=/REGISTRIES/_.._etc_passwd/y=2026/m=03/d=04/h=05/m=00/PT1H.json",
                ArchiveLayout.dataFile(ArchiveCategory.TRUST_CHANGES, "../etc/passwd", hour, 0, false));
    }

    @Test
    void digestsCoverWholePeriods() {
        Instant t = Instant.parse("2026-03-04T05:47:13Z");
        assertEquals(Instant.parse("2026-03-04T05:00:00Z"), ArchiveLayout.floor(t, Duration.ofHours(1)));
        assertEquals(Instant.parse("2026-03-04T05:45:00Z"), ArchiveLayout.floor(t, Duration.ofMinutes(15)));
        assertEquals("registry-audit-digests/y=2026/m=03/d=04/h=05/m=45/digest.json",
                ArchiveLayout.digestFile(Instant.parse("2026-03-04T05:45:00Z")));
        assertEquals("2026-03-04T06:00:00Z\nregistry-audit-digests/x/digest.json\nab12\n",
                ArchiveVerification.signedText("2026-03-04T06:00:00Z", "registry-audit-digests/x/digest.json", "ab12",
                        null));
    }
}
