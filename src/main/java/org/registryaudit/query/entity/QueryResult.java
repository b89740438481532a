package org.registryaudit.query.entity;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The Log Analytics query API's answer: {@code {"tables":[{"name":"PrimaryResult","columns":[…],
 * "rows":[[…]]}]}}; datetimes are RFC 3339 strings, as Log Analytics sends them.
 */
public record QueryResult(List<Table> tables, Render render) {

    /** What the query's render operator asked for, passed through as Azure does; null without one. */
    public record Render(String visualization) {}

    public QueryResult rendered(String visualization) {
        return new QueryResult(tables, visualization == null ? null : new Render(visualization));
    }

    @JsonbPropertyOrder({"name", "columns", "rows"})
    public record Table(String name, List<Column> columns, List<List<Object>> rows) {}

    @JsonbPropertyOrder({"name", "type"})
    public record Column(String name, String type) {}

    public static QueryResult primary(List<Column> columns, List<List<Object>> rows) {
        return new QueryResult(List.of(new Table("PrimaryResult", columns, rows)), null);
    }
}
