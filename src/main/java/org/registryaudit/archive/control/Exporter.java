package org.registryaudit.archive.control;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Streams a filtered range of one table as JSON Lines (the archive's record shape) or CSV (one
 * column per table column, RFC 4180 quoting), oldest first. Rows are read in keyset pages and
 * written as they come, so an export of any size needs no more memory than one page.
 */
@ApplicationScoped
public class Exporter {

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[-+]?\\d+(\\.\\d+)?");

    private static final int PAGE = 5_000;

    public enum Format {
        JSONL,
        CSV
    }

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    public void export(
            ArchiveCategory category, String loginServer, Instant from, Instant to, Format format, OutputStream out)
            throws IOException, SQLException {
        // JSON Lines go to the bytes as RecordFormat encodes them, CSV through the writer.
        BufferedOutputStream bytes = new BufferedOutputStream(out, 65536);
        BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 65536);
        if (format == Format.CSV) {
            writer.write(String.join(",", category.columns()));
            writer.write("\r\n");
        }
        String where = category.time() + " >= ? AND " + category.time() + " < ?"
                + (loginServer == null ? "" : " AND " + category.server() + " = ?");
        RecordFormat record = null;
        OffsetDateTime afterTime = null;
        long afterId = 0;
        try (Connection c = dataSource.getConnection()) {
            while (true) {
                int read = 0;
                try (PreparedStatement s = c.prepareStatement(category.keysetPage(
                        String.join(", ", category.columns()) + ", " + category.server(),
                        where,
                        afterTime != null,
                        PAGE))) {
                    int p = 1;
                    s.setObject(p++, Archiver.utc(from == null ? Instant.EPOCH : from));
                    s.setObject(p++, Archiver.utc(to == null ? Instant.parse("9999-01-01T00:00:00Z") : to));
                    if (loginServer != null) {
                        s.setString(p++, loginServer);
                    }
                    if (afterTime != null) {
                        s.setObject(p++, afterTime);
                        s.setObject(p++, afterTime);
                        s.setLong(p, afterId);
                    }
                    try (ResultSet rows = s.executeQuery()) {
                        if (record == null) {
                            record = new RecordFormat(category, rows.getMetaData());
                        }
                        while (rows.next()) {
                            read++;
                            afterTime = record.time(rows);
                            afterId = rows.getLong(1);
                            if (format == Format.JSONL) {
                                record.write(
                                        bytes, rows.getString(category.columns().size() + 1), rows, afterTime);
                            } else {
                                csv(writer, category, rows);
                            }
                        }
                    }
                }
                writer.flush();
                if (read < PAGE) {
                    break;
                }
            }
        }
        writer.flush();
    }

    private static void csv(BufferedWriter writer, ArchiveCategory category, ResultSet rows)
            throws SQLException, IOException {
        for (int i = 1; i <= category.columns().size(); i++) {
            if (i > 1) {
                writer.write(',');
            }
            Object value = rows.getObject(i);
            String text = value == null
                    ? ""
                    : category.isTime(category.columns().get(i - 1))
                            ? rows.getTimestamp(i).toInstant().toString()
                            : value.toString();
            writer.write(quoted(text));
        }
        writer.write("\r\n");
    }

    /**
     * One CSV cell, RFC 4180 quoted where needed. A text starting with {@code = + - @}, tab or CR
     * would be run as a formula by a spreadsheet (OWASP's CSV injection), so it gets a leading
     * apostrophe, which spreadsheets show as text; a number ({@code -5}) stays as it is.
     */
    static String quoted(String value) {
        String text = value;
        if (!text.isEmpty()
                && "=+-@\t\r".indexOf(text.charAt(0)) >= 0
                && !NUMBER.matcher(text).matches()) {
            text = "'" + text;
        }
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
