package org.registryaudit.archive.control;

import java.time.Instant;
import java.util.Map;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.registryaudit.platform.control.InstantText;
import org.registryaudit.platform.control.JsonText;

/**
 * The archive's record of one row that is not read from the database: the columns of an event
 * just stored, under their column names (as JSON-B writes the event's record). The same shape as
 * {@link RecordFormat} writes for the archive, so that a streamed record and its archived copy
 * read alike: {@code time}, {@code resourceId}, {@code category}, the top-level fields, every other
 * column in {@code properties}, nulls left out, times as RFC 3339 UTC text.
 */
public final class RecordJson {

    private RecordJson() {}

    public static String of(ArchiveCategory category, JsonObject columns) {
        StringBuilder b = new StringBuilder(2048);
        b.append("{\"time\":\"");
        new InstantText().append(b, Instant.parse(columns.getString(category.time())));
        b.append("\",\"resourceId\":");
        JsonText.escape(b, "/REGISTRIES/" + columns.getString(category.server(), "-"));
        b.append(",\"category\":\"").append(category.name()).append('"');
        if (category.operation() != null) {
            b.append(",\"operationName\":\"").append(category.operation()).append('"');
        }
        for (Map.Entry<String, String> field : category.topLevel().entrySet()) {
            value(b, category, field.getKey(), columns.get(field.getValue()), field.getValue());
        }
        b.append(",\"properties\":{");
        int mark = b.length();
        for (String column : category.columns()) {
            if (!category.topLevel().containsValue(column)) {
                value(b, category, column, columns.get(column), column);
            }
        }
        if (b.length() > mark) {
            b.deleteCharAt(mark);
        }
        return b.append("}}").toString();
    }

    private static void value(StringBuilder b, ArchiveCategory category, String name, JsonValue value, String column) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return;
        }
        JsonText.escape(b.append(','), name);
        b.append(':');
        if (value instanceof JsonNumber number) {
            b.append(number.longValue());
        } else if (value instanceof JsonString text && category.isTime(column)) {
            new InstantText().append(b.append('"'), Instant.parse(text.getString()));
            b.append('"');
        } else if (value instanceof JsonString text) {
            JsonText.escape(b, text.getString());
        } else {
            b.append(value);
        }
    }
}
