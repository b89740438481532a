package org.registryaudit.query.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.metrics.entity.MetricCount;
import org.registryaudit.platform.entity.AuditTable;
import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.platform.entity.Visibility;

/**
 * The tables a query can name, each as the SQL that reads it inside the caller's access rules. The
 * tables are their owners' {@link AuditTable} descriptions; a query sees the table's time column
 * first (as TimeGenerated), then its other columns in order, the producer's id and the receipt time
 * last, the derived columns after them and {@code Type}, the table's name, at the end. Every
 * reference to a table, however deep in a union, is read through {@link #source}, so no query can
 * reach a row the table's rule hides.
 */
final class QueryTables {

    /**
     * notNull: the columns that are never null (NOT NULL in the schema, or derived); time and
     * server: the SQL of the row's time and login server, for {@link QueryBounds}.
     */
    record Table(
            String name,
            String from,
            Map<String, Column> columns,
            Set<String> notNull,
            AuditTable.AccessRule rule,
            String time,
            String server) {}

    record Column(String sql, ColumnType type) {}

    /** Azure's tables put the columns of the record's receipt after those of the record. */
    private static final List<String> LAST = List.of("EventId", "ReceivedAt");

    static final Map<String, Table> ALL = new LinkedHashMap<>();

    static {
        for (AuditTable table :
                List.of(RepositoryEvent.TABLE, LoginEvent.TABLE, MetricCount.AZURE_METRICS, TrustChange.TABLE)) {
            ALL.put(table.name(), queried(table));
        }
    }

    private QueryTables() {}

    static Table queried(AuditTable table) {
        Map<String, Column> columns = new LinkedHashMap<>();
        Set<String> notNull = new LinkedHashSet<>();
        List<AuditTable.Column> ordered = new ArrayList<>(table.columns());
        ordered.sort((a, b) -> Integer.compare(rank(table, a), rank(table, b)));
        for (AuditTable.Column c : ordered) {
            String name = table.queryName(c.name());
            if (name != null) {
                columns.put(name, new Column(c.name(), c.type()));
                if (c.notNull() || !name.equals(c.name())) {
                    notNull.add(name);
                }
            }
        }
        for (AuditTable.Derived d : table.derived()) {
            columns.put(d.name(), new Column(d.sql(), d.type()));
            notNull.add(d.name());
        }
        columns.put("Type", new Column("CAST('" + table.name() + "' AS VARCHAR(64))", ColumnType.STRING));
        notNull.add("Type");
        return new Table(
                table.name(), table.from(), columns, Set.copyOf(notNull), table.rule(), table.time(), table.server());
    }

    /** 0 for the time column, 2 for the receipt's, 1 for the rest (a stable sort keeps their order). */
    private static int rank(AuditTable table, AuditTable.Column column) {
        return column.name().equals(table.time()) ? 0 : LAST.contains(column.name()) ? 2 : 1;
    }

    /**
     * The SELECT that reads a table as the caller may see it, within the bounds; its parameters go
     * to {@code params}.
     */
    static String source(Table table, Visibility visibility, QueryBounds bounds, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean first = true;
        for (Map.Entry<String, Column> c : table.columns().entrySet()) {
            sql.append(first ? "" : ", ")
                    .append(c.getValue().sql())
                    .append(" AS \"")
                    .append(c.getKey())
                    .append('"');
            first = false;
        }
        sql.append(" FROM ").append(table.from());
        String rule = visibility.condition(table.rule(), params);
        String bounded = bounds.condition(table.time(), table.server(), params);
        if (rule != null || bounded != null) {
            sql.append(" WHERE ")
                    .append(rule == null ? bounded : bounded == null ? rule : "(" + rule + ") AND " + bounded);
        }
        return sql.toString();
    }
}
