package org.registryaudit.archive.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.registryaudit.platform.entity.AuditTable;

/**
 * A row becomes one record of the Azure storage archive and comes back as the same row: the record
 * format on a real result set (H2 in memory, the table made from its owner's description), and the
 * restore's reading of that record; the streamed record of the same columns is the same record.
 */
class RecordFormatTest {

    static final Instant TIME = Instant.parse("2025-10-31T23:59:59.123456Z");

    @Test
    void aRowBecomesAnAzureRecordAndComesBackTheSame() throws Exception {
        ArchiveCategory category = ArchiveCategory.REPOSITORY_EVENTS;
        Object[] values = {
            7L,
            "ev-1",
            TIME,
            TIME.plusSeconds(2),
            "reg.example.com",
            "Push",
            "team/app",
            "v1",
            "sha256:ab",
            null,
            null,
            1234L,
            null,
            "al\"ice\n",
            "201",
            "201 \"quoted\" and a\nnewline",
            "10.0.0.1",
            "skopeo/1.9 \u2603",
            "PUT",
            12L,
            "corr-1",
            null
        };
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:record-format", "sa", "")) {
            create(c, category.audit());
            insert(c, category, values);
            String line;
            try (Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery(
                            "SELECT " + String.join(", ", category.columns()) + " FROM " + category.table())) {
                rows.next();
                RecordFormat format = new RecordFormat(category, rows.getMetaData());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                format.write(out, "reg.example.com", rows, format.time(rows));
                line = out.toString(StandardCharsets.UTF_8);
            }
            assertEquals(1, line.split("\n", -1).length - 1, "one line: " + line);
            JsonObject record = Json.createReader(new StringReader(line)).readObject();
            assertEquals("2025-10-31T23:59:59.123456Z", record.getString("time"));
            assertEquals("/REGISTRIES/reg.example.com", record.getString("resourceId"));
            assertEquals("ContainerRegistryRepositoryEvents", record.getString("category"));
            assertEquals("Push", record.getString("operationName"));
            assertEquals("201", record.getString("resultType"));
            assertEquals("201 \"quoted\" and a\nnewline", record.getString("resultDescription"));
            assertEquals("al\"ice\n", record.getString("identity"));
            assertEquals(12, record.getInt("durationMs"));
            JsonObject properties = record.getJsonObject("properties");
            assertEquals("team/app", properties.getString("Repository"));
            assertEquals(1234, properties.getInt("Size"));
            assertEquals("skopeo/1.9 \u2603", properties.getString("UserAgent"));
            assertEquals("2025-11-01T00:00:01.123456Z", properties.getString("ReceivedAt"));
            assertFalse(properties.containsKey("MediaType"), "nulls are left out");
            assertFalse(properties.containsKey("OperationName"), "a top-level field is not repeated");

            // a streamed record (made from the columns of an event just stored) reads as its archived copy
            Map<String, Object> columns = new HashMap<>();
            for (int i = 0; i < values.length; i++) {
                columns.put(category.columns().get(i), values[i]);
            }
            assertEquals(
                    record,
                    Json.createReader(new StringReader(RecordJson.of(category, columns)))
                            .readObject());

            Map<String, String> columnToField = new HashMap<>();
            category.topLevel().forEach((field, column) -> columnToField.put(column, field));
            Object[] row = Restorer.row(category, columnToField, record, 99L);
            List<Object> expected = new ArrayList<>();
            for (Object v : values) {
                expected.add(v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
            }
            expected.add(99L);
            assertArrayEquals(expected.toArray(), row);
        }
    }

    private static void create(Connection c, AuditTable table) throws Exception {
        List<String> columns = new ArrayList<>();
        for (AuditTable.Column column : table.columns()) {
            String type = switch (column.type()) {
                case LONG -> "BIGINT";
                case DATETIME -> "TIMESTAMP(6) WITH TIME ZONE";
                default -> "VARCHAR(1024)";
            };
            columns.add(column.name() + " " + type + (column.notNull() ? " NOT NULL" : ""));
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table.name() + " (" + String.join(", ", columns) + ")");
        }
    }

    private static void insert(Connection c, ArchiveCategory category, Object[] values) throws Exception {
        String marks =
                String.join(", ", category.columns().stream().map(x -> "?").toList());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + category.table() + " ("
                + String.join(", ", category.columns()) + ") VALUES (" + marks + ")")) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(
                        i + 1,
                        values[i] instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : values[i]);
            }
            ps.executeUpdate();
        }
    }
}
