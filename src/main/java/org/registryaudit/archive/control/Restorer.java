package org.registryaudit.archive.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.UserTransaction;

import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * Brings an archived time range back into the query tables and drops it again. Restored rows keep
 * their ids and carry the restore's id, so that the archive never takes them a second time and a
 * drop deletes exactly them; a record whose id is already in the table (restored before, or never
 * archived) is skipped, so restoring twice duplicates nothing. Files are read line by line and rows
 * inserted in batches, so a range of any size fits in memory.
 */
@ApplicationScoped
public class Restorer {

    private static final int BATCH = 500;

    /** A restore as the API shows it. */
    public record RestoreRecord(
            long id,
            String category,
            String loginServer,
            Instant from,
            Instant to,
            long records,
            long skipped,
            Instant createdAt) {}

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Resource
    UserTransaction transaction;

    @Inject
    ArchiveDirectory directory;

    public RestoreRecord restore(String categoryName, String loginServer, Instant from, Instant to) throws Exception {
        ArchiveCategory category = ArchiveCategory.named(categoryName);
        if (category == null) {
            throw new InvalidRequestException("category '" + categoryName + "' is not one of "
                    + ArchiveCategory.ALL.stream().map(ArchiveCategory::name).toList());
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new InvalidRequestException("from and to (RFC 3339) are required, from before to");
        }
        long id = nextId();
        Map<String, String> fieldOfColumn = new java.util.HashMap<>();
        category.topLevel().forEach((field, column) -> fieldOfColumn.put(column, field));
        List<String> files = files(category, loginServer, from, to);
        List<Object[]> batch = new ArrayList<>();
        long records = 0;
        long skipped = 0;
        for (String file : files) {
            try (BufferedReader lines = reader(directory.root().resolve(file))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    JsonObject record;
                    try (JsonReader reader = Json.createReader(new StringReader(line))) {
                        record = reader.readObject();
                    }
                    Instant time = Instant.parse(record.getString("time"));
                    if (time.isBefore(from) || !time.isBefore(to)) {
                        continue;
                    }
                    batch.add(row(category, fieldOfColumn, record, id));
                    if (batch.size() == BATCH) {
                        long inserted = insert(category, batch);
                        records += inserted;
                        skipped += batch.size() - inserted;
                        batch.clear();
                    }
                }
            }
        }
        long inserted = insert(category, batch);
        records += inserted;
        skipped += batch.size() - inserted;
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO Restores "
                                + "(Id, Category, LoginServer, FromTime, ToTime, Records, Skipped, CreatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, id);
            s.setString(2, category.name());
            s.setString(3, loginServer);
            s.setObject(4, Archiver.utc(from));
            s.setObject(5, Archiver.utc(to));
            s.setLong(6, records);
            s.setLong(7, skipped);
            s.setObject(8, Archiver.utc(now));
            s.executeUpdate();
        }
        return new RestoreRecord(id, category.name(), loginServer, from, to, records, skipped, now);
    }

    public List<RestoreRecord> list() throws SQLException {
        List<RestoreRecord> all = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT Id, Category, "
                        + "LoginServer, FromTime, ToTime, Records, Skipped, CreatedAt FROM Restores ORDER BY Id");
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                all.add(new RestoreRecord(
                        rows.getLong(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getObject(4, OffsetDateTime.class).toInstant(),
                        rows.getObject(5, OffsetDateTime.class).toInstant(),
                        rows.getLong(6),
                        rows.getLong(7),
                        rows.getObject(8, OffsetDateTime.class).toInstant()));
            }
        }
        return all;
    }

    /** Deletes the rows of a restore (they are still in the archive); false if there is no such restore. */
    public boolean drop(long id) throws Exception {
        RestoreRecord restore =
                list().stream().filter(r -> r.id() == id).findFirst().orElse(null);
        if (restore == null) {
            return false;
        }
        ArchiveCategory category = ArchiveCategory.named(restore.category());
        Transactions.inside(transaction, () -> {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement s =
                        c.prepareStatement("DELETE FROM " + category.table() + " WHERE RestoreId = ?")) {
                    s.setLong(1, id);
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM Restores WHERE Id = ?")) {
                    s.setLong(1, id);
                    return s.executeUpdate();
                }
            }
        });
        return true;
    }

    private long nextId() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(Id), 0) + 1 FROM Restores");
                ResultSet row = s.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The archived files that may hold records of the range: by their event hour. */
    private List<String> files(ArchiveCategory category, String loginServer, Instant from, Instant to)
            throws SQLException {
        List<String> files = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT Path FROM "
                        + "ArchivedFiles WHERE Category = ? AND EventHour >= ? AND EventHour < ?"
                        + (loginServer == null ? "" : " AND LoginServer = ?") + " ORDER BY EventHour, Part")) {
            s.setString(1, category.name());
            s.setObject(2, Archiver.utc(ArchiveLayout.hourOf(from)));
            s.setObject(3, Archiver.utc(to));
            if (loginServer != null) {
                s.setString(4, loginServer);
            }
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    files.add(rows.getString(1));
                }
            }
        }
        return files;
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new BufferedReader(
                new InputStreamReader(
                        file.toString().endsWith(".gz") ? new GZIPInputStream(in, 65536) : in, StandardCharsets.UTF_8),
                65536);
    }

    /** The row a record was: the values of the category's columns, then the restore id. */
    static Object[] row(
            ArchiveCategory category, Map<String, String> columnToField, JsonObject record, long restoreId) {
        JsonObject properties = record.getJsonObject("properties");
        Object[] row = new Object[category.columns().size() + 1];
        for (int i = 0; i < category.columns().size(); i++) {
            String column = category.columns().get(i);
            JsonValue value = column.equals(category.time())
                    ? record.get("time")
                    : columnToField.containsKey(column)
                            ? record.get(columnToField.get(column))
                            : properties.get(column);
            row[i] = value == null || value.getValueType() == JsonValue.ValueType.NULL
                    ? null
                    : value instanceof JsonNumber n
                            ? (Object) n.longValue()
                            : category.isTime(column)
                                    ? Archiver.utc(Instant.parse(((JsonString) value).getString()))
                                    : ((JsonString) value).getString();
        }
        row[row.length - 1] = restoreId;
        return row;
    }

    /** Inserts the rows whose id is not in the table yet, in one transaction; returns how many. */
    private long insert(ArchiveCategory category, List<Object[]> rows) throws Exception {
        if (rows.isEmpty()) {
            return 0;
        }
        int idColumn = category.columns().indexOf("Id");
        return Transactions.inside(transaction, () -> {
            try (Connection c = dataSource.getConnection()) {
                Set<Long> present = new HashSet<>();
                try (PreparedStatement s = c.prepareStatement("SELECT Id FROM " + category.table() + " WHERE Id IN ("
                        + "?,".repeat(rows.size() - 1) + "?)")) {
                    for (int i = 0; i < rows.size(); i++) {
                        s.setLong(i + 1, (Long) rows.get(i)[idColumn]);
                    }
                    try (ResultSet found = s.executeQuery()) {
                        while (found.next()) {
                            present.add(found.getLong(1));
                        }
                    }
                }
                long inserted = 0;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + category.table() + " ("
                        + String.join(", ", category.columns()) + ", RestoreId) VALUES ("
                        + "?,".repeat(category.columns().size()) + "?)")) {
                    for (Object[] row : rows) {
                        if (present.add((Long) row[idColumn])) {
                            for (int i = 0; i < row.length; i++) {
                                s.setObject(i + 1, row[i]);
                            }
                            s.addBatch();
                            inserted++;
                        }
                    }
                    if (inserted > 0) {
                        s.executeBatch();
                    }
                }
                return inserted;
            }
        });
    }
}
