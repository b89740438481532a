package org.registryaudit.changefeed.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.registryaudit.changefeed.entity.TrustChangeRecord;

/** Reading notary-server 0.7.0's changefeed response (captured from the Debian package's server). */
class NotaryClientTest {

    static final String BODY = """
            {"count":3,"records":[{"ID":"1","CreatedAt":"2026-11-21T17:00:37.840721Z","GUN":"example.com/app",\
            "Version":1,"SHA256":"5aca0fe5daa6a6a246f548e2ff8919f7789d458e5e4b8e135101f2125adff020","Category":"update"},\
            {"ID":"2","CreatedAt":"2026-11-21T17:00:37.869528Z","GUN":"example.com/app","Version":2,\
            "SHA256":"e29cae4d8ff2fb327289d2a9e77a16d541bac6e3e96f8e801c226e81a367bece","Category":"update"},\
            {"ID":"3","CreatedAt":"2026-11-21T17:00:37.878082Z","GUN":"example.com/app","Version":0,"SHA256":"",\
            "Category":"deletion"}]}""";

    @Test
    void turnsNotaryRecordsIntoTrustChangesKeyedByServerAndId() {
        NotaryClient client = new NotaryClient(new NotaryServer(
                "primary", "https://notary:4443", Optional.empty(), Optional.empty(), Optional.empty()));
        NotaryClient.Page page = client.page(BODY);
        assertEquals(List.of("1", "2", "3"), page.ids());
        TrustChangeRecord first = page.changes().get(0);
        assertEquals("notary:primary:1", first.eventId());
        assertEquals(Instant.parse("2026-11-21T17:00:37.840721Z"), first.createdAt());
        assertEquals("example.com/app", first.gun());
        assertEquals(1, first.version());
        assertEquals("5aca0fe5daa6a6a246f548e2ff8919f7789d458e5e4b8e135101f2125adff020", first.sha256());
        assertEquals("primary", first.source());
        TrustChangeRecord deletion = page.changes().get(2);
        assertEquals("deletion", deletion.category());
        assertEquals(0, deletion.version());
        assertNull(deletion.sha256());
    }

    /** A caught-up notary-server answers {"count":0,"records":null}: an empty page, not a failed poll. */
    @Test
    void readsACaughtUpServersNullRecordsAsAnEmptyPage() {
        NotaryClient client = new NotaryClient(new NotaryServer(
                "primary", "https://notary:4443", Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals(List.of(), client.page("{\"count\":0,\"records\":null}").ids());
        assertEquals(List.of(), client.page("{\"count\":0}").ids());
    }

    @Test
    void neverPrintsThePassword() {
        NotaryServer server = new NotaryServer(
                "primary", "https://notary:4443", Optional.empty(), Optional.of("admin"), Optional.of("s3cret-pass"));
        assertEquals("primary (https://notary:4443)", server.toString());
    }
}
