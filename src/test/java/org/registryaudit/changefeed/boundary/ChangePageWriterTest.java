package org.registryaudit.changefeed.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.registryaudit.changefeed.entity.Change;
import org.registryaudit.changefeed.entity.ChangePage;

/** The hand-written page reads back, field for field, as notary-server's shape. */
class ChangePageWriterTest {

    @Test
    void writesNotarysShapeThatAJsonParserReadsBack() {
        ChangePage page = ChangePage.of(List.of(
                new Change(
                        "2",
                        Instant.parse("2026-01-01T00:00:00Z"),
                        "registry.example.com:5000/team/app",
                        1,
                        "ab".repeat(32),
                        "update"),
                new Change("3", Instant.parse("2026-01-01T00:00:01.123456789Z"), "odd\"gun\\", 2, "", "deletion")));
        JsonObject json =
                Json.createReader(new StringReader(ChangePageWriter.json(page))).readObject();
        assertEquals(2, json.getInt("count"));
        JsonObject first = json.getJsonArray("records").getJsonObject(0);
        assertEquals(List.of("ID", "CreatedAt", "GUN", "Version", "SHA256", "Category"), List.copyOf(first.keySet()));
        assertEquals("2", first.getString("ID"));
        assertEquals("2026-01-01T00:00:00Z", first.getString("CreatedAt"));
        assertEquals("registry.example.com:5000/team/app", first.getString("GUN"));
        assertEquals(1, first.getInt("Version"));
        assertEquals("ab".repeat(32), first.getString("SHA256"));
        JsonObject second = json.getJsonArray("records").getJsonObject(1);
        assertEquals("2026-01-01T00:00:01.123456789Z", second.getString("CreatedAt"));
        assertEquals("odd\"gun\\", second.getString("GUN"));
        assertEquals("deletion", second.getString("Category"));
    }

    @Test
    void writesAnEmptyPage() {
        assertEquals("{\"count\":0,\"records\":[]}", ChangePageWriter.json(ChangePage.of(List.of())));
    }
}
