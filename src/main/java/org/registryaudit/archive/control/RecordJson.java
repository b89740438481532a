package org.registryaudit.archive.control;

import java.time.Instant;
import java.util.Map;

import org.registryaudit.platform.control.InstantText;
import org.registryaudit.platform.control.JsonText;

/**
 * The archive's record of one row that is not read from the database: the columns of an event
 * just stored, by column name. The same shape as
 * {@link RecordFormat} writes for the archive, so that a streamed record and its archived copy
 * read alike: {@code time}, {@code resourceId}, {@code category}, the top-level fields, every other
 * column in {@code properties}, nulls left out, times as RFC 3339 UTC text.
 */
public final class RecordJson {

    private RecordJson() {}

    /**
     * @param columns column name to value: a String, a Number (whole), an Instant, or null (left
     *        out); a time column's value is an Instant
     */
    public static String of(ArchiveCategory category, Map<String, ?> columns) {
        StringBuilder b = new StringBuilder(2048);
        InstantText times = new InstantText();
        b.append("{\"time\":\"");
        times.append(b, (Instant) columns.get(category.time()));
        b.append("\",\"resourceId\":");
        Object server = columns.get(category.server());
        JsonText.escape(b, "/REGISTRIES/" + (server == null ? "-" : server));
        b.append(",\"category\":\"").append(category.name()).append('"');
        if (category.operation() != null) {
            b.append(",\"operationName\":\"").append(category.operation()).append('"');
        }
        for (Map.Entry<String, String> field : category.topLevel().entrySet()) {
            value(b, times, field.getKey(), columns.get(field.getValue()));
        }
        b.append(",\"properties\":{");
        int mark = b.length();
        for (String column : category.columns()) {
            if (!category.topLevel().containsValue(column)) {
                value(b, times, column, columns.get(column));
            }
        }
        if (b.length() > mark) {
            b.deleteCharAt(mark);
        }
        return b.append("}}").toString();
    }

    private static void value(StringBuilder b, InstantText times, String name, Object value) {
        if (value == null) {
            return;
        }
        JsonText.escape(b.append(','), name);
        b.append(':');
        if (value instanceof Number number) {
            b.append(number.longValue());
        } else if (value instanceof Instant time) {
            times.append(b.append('"'), time);
            b.append('"');
        } else {
            JsonText.escape(b, value.toString());
        }
    }
}
