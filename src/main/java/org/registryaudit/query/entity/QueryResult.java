package org.registryaudit.query.entity;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The Log Analytics query API's answer: {@code {"tables":[{"name":"PrimaryResult","columns":[…],
 * "rows":[[…]]}]}}; datetimes are RFC 3339 strings, as Log Analytics sends them.
 */
public record QueryResult(List<Table> tables) {

    @JsonbPropertyOrder({"name", "columns", "rows"})
    public record Table(String name, List<Column> columns, List<List<Object>> rows) {}

    @JsonbPropertyOrder({"name", "type"})
    public record Column(String name, String type) {}

    public static QueryResult primary(List<Column> columns, List<List<Object>> rows) {
        return new QueryResult(List.of(new Table("PrimaryResult", columns, rows)));
    }
}
