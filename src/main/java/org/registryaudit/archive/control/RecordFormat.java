package org.registryaudit.archive.control;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.registryaudit.platform.control.InstantText;
import org.registryaudit.platform.control.JsonText;

/**
 * Writes rows of one category as records of the Azure storage archive, one JSON line each:
 * {@code time}, {@code resourceId}, {@code category}, {@code operationName}, the common result
 * fields at the top, every other column in {@code properties} under its own name, nulls left out.
 * Planned once per result set (names escaped, columns and their types resolved), so a row costs
 * one pass over its values; archive and export write millions of them. One per result set: not
 * thread-safe.
 */
final class RecordFormat {

    /** A column to write; the time columns have their own {@code time} text, written as UTC. */
    private record Field(String name, int column, int type, InstantText time) {}

    private final ArchiveCategory category;
    private final List<Field> top = new ArrayList<>();
    private final List<Field> properties = new ArrayList<>();
    private final int timeColumn;
    private final InstantText timeText = new InstantText();
    private final StringBuilder line = new StringBuilder(2048);
    private String server;
    private String resourceId;

    /** The plan for a result set whose first columns are the category's columns, in order. */
    RecordFormat(ArchiveCategory category, ResultSetMetaData meta) throws SQLException {
        this.category = category;
        for (Map.Entry<String, String> field : category.topLevel().entrySet()) {
            int column = category.columns().indexOf(field.getValue()) + 1;
            top.add(field(quoted(field.getKey()), column, meta));
        }
        for (int column = 1; column <= category.columns().size(); column++) {
            String name = category.columns().get(column - 1);
            if (!category.topLevel().containsValue(name)) {
                properties.add(field(quoted(name), column, meta));
            }
        }
        this.timeColumn = category.columns().indexOf(category.time()) + 1;
    }

    private Field field(String quotedName, int column, ResultSetMetaData meta) throws SQLException {
        // the time columns by name, not by the type code the driver reports for them
        return category.isTime(category.columns().get(column - 1))
                ? new Field(quotedName + ":", column, Types.TIMESTAMP_WITH_TIMEZONE, new InstantText())
                : new Field(quotedName + ":", column, meta.getColumnType(column), null);
    }

    /**
     * The time of the current row, which decides its hour. Times are read with getTimestamp: the
     * server's JDBC wrappers look {@code getObject(int, Class)} up by reflection on every call.
     */
    OffsetDateTime time(ResultSet rows) throws SQLException {
        return rows.getTimestamp(timeColumn).toInstant().atOffset(ZoneOffset.UTC);
    }

    /** Writes the current row as one line of UTF-8. */
    void write(OutputStream out, String server, ResultSet rows, OffsetDateTime time) throws SQLException, IOException {
        if (!server.equals(this.server)) {
            StringBuilder id = new StringBuilder();
            JsonText.escape(id, "/REGISTRIES/" + server);
            this.server = server;
            this.resourceId = id.toString();
        }
        StringBuilder b = line;
        b.setLength(0);
        timeText.append(b.append("{\"time\":\""), time.toInstant());
        b.append("\",\"resourceId\":").append(resourceId);
        b.append(",\"category\":\"").append(category.name()).append('"');
        if (category.operation() != null) {
            b.append(",\"operationName\":\"").append(category.operation()).append('"');
        }
        for (Field field : top) {
            value(b.append(','), field, rows, time);
        }
        b.append(",\"properties\":{");
        int mark = b.length();
        for (Field field : properties) {
            value(b.append(','), field, rows, time);
        }
        if (b.length() > mark) {
            b.deleteCharAt(mark);
        }
        b.append("}}\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends {@code "name":value}, or takes the comma back for a null. The row's own time column
     * was read already ({@code rowTime}).
     */
    private void value(StringBuilder b, Field field, ResultSet rows, OffsetDateTime rowTime) throws SQLException {
        int comma = b.length() - 1;
        switch (field.type()) {
            case Types.TIMESTAMP_WITH_TIMEZONE -> {
                Instant value =
                        field.column() == timeColumn ? rowTime.toInstant() : instant(rows.getTimestamp(field.column()));
                if (value != null) {
                    field.time().append(b.append(field.name()).append('"'), value);
                    b.append('"');
                    return;
                }
            }
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
                long value = rows.getLong(field.column());
                if (!rows.wasNull()) {
                    b.append(field.name()).append(value);
                    return;
                }
            }
            default -> {
                String value = rows.getString(field.column());
                if (value != null) {
                    JsonText.escape(b.append(field.name()), value);
                    return;
                }
            }
        }
        b.setLength(comma);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String quoted(String name) {
        StringBuilder b = new StringBuilder();
        JsonText.escape(b, name);
        return b.toString();
    }
}
