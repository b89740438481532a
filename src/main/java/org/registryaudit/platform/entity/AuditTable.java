package org.registryaudit.platform.entity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one audit table is, written once by the component that owns it (next to its entity) and
 * read by everything else that touches the table: the archive and its restore and export (which
 * columns a record keeps, which hold times, the age and login server of a row), the query language
 * (the columns a query sees, their types, what is never null) and the access checks (which rows a
 * caller may see). Adding a column is then the migration, the entity and its description.
 *
 * @param name the Azure table name (the category of the archive, the table of a query)
 * @param from the SQL that reads the table: its name, or a subquery with an alias
 * @param key its name in configuration keys ({@code registry-audit.retention.<key>-days}); null for
 *        a table that is not archived
 * @param time the column that decides a row's age and the hour of its archive file
 * @param server the column (or SQL expression) that names the row's login server
 * @param rule which rows a caller may see
 * @param columns the stored columns, in the order of the table
 * @param queryNames columns that a query sees under another name; a column named null is hidden
 * @param derived columns a query sees that are not stored: constants and expressions of stored ones
 */
public record AuditTable(
        String name,
        String from,
        String key,
        String time,
        String server,
        AccessRule rule,
        List<Column> columns,
        Map<String, String> queryNames,
        List<Derived> derived) {

    /** A stored column; {@code notNull} as the migration declares it. */
    public record Column(String name, ColumnType type, boolean notNull) {}

    /** A column of queries only: {@code sql} computes it from the stored ones (or is a constant). */
    public record Derived(String name, String sql, ColumnType type) {}

    /**
     * The rows of the table a caller may see, as {@link Visibility} applies it: all of them
     * ({@code NONE}), those whose {@code column} names a repository the caller may pull
     * ({@code REPOSITORY}; a Notary GUN counts as a repository name), those whose {@code column} is
     * the caller's identity ({@code IDENTITY}). {@code NAMED_REPOSITORY} is {@code REPOSITORY} that
     * also hides the rows of no repository (an empty name: the login counts of AzureMetrics) from
     * everyone but those who see everything.
     */
    public record AccessRule(Kind kind, String column) {

        public enum Kind {
            NONE,
            REPOSITORY,
            NAMED_REPOSITORY,
            IDENTITY
        }

        public static final AccessRule NONE = new AccessRule(Kind.NONE, null);

        public static AccessRule repository(String column) {
            return new AccessRule(Kind.REPOSITORY, column);
        }

        public static AccessRule namedRepository(String column) {
            return new AccessRule(Kind.NAMED_REPOSITORY, column);
        }

        public static AccessRule identity(String column) {
            return new AccessRule(Kind.IDENTITY, column);
        }
    }

    public AuditTable {
        columns = List.copyOf(columns);
        queryNames = Map.copyOf(queryNames);
        derived = List.copyOf(derived);
    }

    /**
     * A table read under its own name, with no renamed, hidden or derived columns yet.
     *
     * @param columns {@code Name[:type][!]} separated by spaces: the type is {@code string} unless
     *        given ({@code long}, {@code datetime}), and {@code !} marks a NOT NULL column
     */
    public static AuditTable of(String name, String key, String time, String server, AccessRule rule, String columns) {
        List<Column> parsed = new ArrayList<>();
        for (String spec : columns.trim().split("\\s+")) {
            boolean notNull = spec.endsWith("!");
            String[] typed = (notNull ? spec.substring(0, spec.length() - 1) : spec).split(":");
            ColumnType type =
                    typed.length > 1 ? ColumnType.valueOf(typed[1].toUpperCase(Locale.ROOT)) : ColumnType.STRING;
            parsed.add(new Column(typed[0], type, notNull));
        }
        return new AuditTable(name, name, key, time, server, rule, parsed, Map.of(), List.of());
    }

    /** The same table read through other SQL (a view of it as a subquery with an alias). */
    public AuditTable readFrom(String sql) {
        return new AuditTable(name, sql, key, time, server, rule, columns, queryNames, derived);
    }

    /** The same table with columns that a query does not see. */
    public AuditTable hiding(String... hidden) {
        AuditTable table = this;
        for (String column : hidden) {
            table = table.renaming(column, "");
        }
        return table;
    }

    /** The same table with a column that a query sees as {@code queryName} ("" to hide it). */
    public AuditTable renaming(String column, String queryName) {
        Map<String, String> names = new HashMap<>(queryNames);
        names.put(column(column).name(), queryName);
        return new AuditTable(name, from, key, time, server, rule, columns, names, derived);
    }

    /** The same table with a column of queries only. */
    public AuditTable deriving(String column, String sql, ColumnType type) {
        List<Derived> all = new ArrayList<>(derived);
        all.add(new Derived(column, sql, type));
        return new AuditTable(name, from, key, time, server, rule, columns, queryNames, all);
    }

    /** The same table with a string column that holds {@code value} in every row of a query. */
    public AuditTable constant(String column, String value) {
        return deriving(column, "CAST('" + value.replace("'", "''") + "' AS VARCHAR(64))", ColumnType.STRING);
    }

    public Column column(String columnName) {
        return columns.stream()
                .filter(c -> c.name().equals(columnName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no column " + columnName));
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The stored columns that hold times (written as RFC 3339 text wherever a row leaves the database). */
    public Set<String> timeColumns() {
        return Set.copyOf(columns.stream()
                .filter(c -> c.type() == ColumnType.DATETIME)
                .map(Column::name)
                .toList());
    }

    /** The name under which a query sees a stored column; null when it is hidden. */
    public String queryName(String column) {
        String renamed = queryNames.get(column);
        return renamed == null ? column : renamed.isEmpty() ? null : renamed;
    }
}
