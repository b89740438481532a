package org.registryaudit.query.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.registryaudit.events.control.Visibility;
import org.registryaudit.query.entity.ColumnType;

/**
 * The tables a query can name, each as the SQL that reads it inside the caller's access rules. Every
 * reference to a table, however deep in a union, is read through {@link #source}, so no query can
 * reach a row the rules hide: repository events and AzureMetrics rows only of visible repositories
 * (never the login counts, which are of everyone), login events only of the caller, trust changes
 * only of GUNs whose repository the caller may pull.
 */
final class QueryTables {

    enum Rule {
        REPOSITORY, IDENTITY, METRICS, GUN
    }

    /** notNull: the columns that are never null (NOT NULL in the schema, or constant). */
    record Table(String name, String from, Map<String, Column> columns, Set<String> notNull, Rule rule) {
    }

    record Column(String sql, ColumnType type) {
    }

    /** The NOT NULL columns of the tables (V1, V3, V7); every renamed, computed or constant column is too. */
    private static final Set<String> NOT_NULL = Set.of("TimeGenerated", "ReceivedAt", "LoginServer", "OperationName",
            "Repository", "EventId", "MetricName", "GUN", "Version", "Category");

    static final Map<String, Table> ALL = new LinkedHashMap<>();

    static {
        add("ContainerRegistryRepositoryEvents", "ContainerRegistryRepositoryEvents", Rule.REPOSITORY,
                "TimeGenerated:datetime LoginServer OperationName Repository Tag Digest MediaType ArtifactType Size:long "
                        + "FromRepository Identity ResultType ResultDescription CallerIpAddress UserAgent HttpMethod "
                        + "DurationMs:long CorrelationId Region EventId ReceivedAt:datetime",
                "Category=ContainerRegistryRepositoryEvents");
        add("ContainerRegistryLoginEvents", "ContainerRegistryLoginEvents", Rule.IDENTITY,
                "TimeGenerated:datetime LoginServer OperationName Identity JwtId ResultType ResultDescription "
                        + "CallerIpAddress UserAgent DurationMs:long CorrelationId Region EventId ReceivedAt:datetime",
                "Category=ContainerRegistryLoginEvents");
        add("AzureMetrics", "(SELECT LoginServer, Repository, MetricName, TimeGenerated, SUM(Total) AS Total"
                + " FROM MetricCounts GROUP BY LoginServer, Repository, MetricName, TimeGenerated) m", Rule.METRICS,
                "TimeGenerated:datetime LoginServer Repository MetricName Total:long Count=Total:long "
                        + "Average=1.0:real Minimum=1.0:real Maximum=1.0:real",
                "TimeGrain=PT1M UnitName=Count");
        add("TrustChanges", "TrustChanges", Rule.GUN,
                "TimeGenerated=CreatedAt:datetime ID=Id:long GUN Version:long SHA256 Category Source EventId "
                        + "ReceivedAt:datetime", "");
    }

    private QueryTables() {
    }

    /**
     * @param columns {@code Name[=sql][:type]} separated by spaces; the type is string by default
     * @param constants {@code Name=value}: string columns with one value in every row
     */
    private static void add(String name, String from, Rule rule, String columns, String constants) {
        Map<String, Column> all = new LinkedHashMap<>();
        for (String spec : columns.split(" ")) {
            String[] typed = spec.split(":");
            ColumnType type = typed.length > 1 ? ColumnType.valueOf(typed[1].toUpperCase(java.util.Locale.ROOT))
                    : ColumnType.STRING;
            String[] named = typed[0].split("=");
            String sql = named.length > 1 ? named[1] : named[0];
            all.put(named[0], new Column(sql.equals("1.0") ? "CAST(1.0 AS DOUBLE PRECISION)" : sql, type));
        }
        for (String constant : constants.isEmpty() ? new String[0] : constants.split(" ")) {
            String[] named = constant.split("=");
            all.put(named[0], new Column("CAST('" + named[1] + "' AS VARCHAR(64))", ColumnType.STRING));
        }
        all.put("Type", new Column("CAST('" + name + "' AS VARCHAR(64))", ColumnType.STRING));
        Set<String> notNull = new java.util.LinkedHashSet<>(all.keySet());
        notNull.removeIf(c -> all.get(c).sql().equals(c) && !NOT_NULL.contains(c));
        ALL.put(name, new Table(name, from, all, Set.copyOf(notNull), rule));
    }

    /** The SELECT that reads a table as the caller may see it; its parameters go to {@code params}. */
    static String source(Table table, Visibility visibility, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean first = true;
        for (Map.Entry<String, Column> c : table.columns().entrySet()) {
            sql.append(first ? "" : ", ").append(c.getValue().sql()).append(" AS \"").append(c.getKey()).append('"');
            first = false;
        }
        sql.append(" FROM ").append(table.from());
        String rule = rule(table.rule(), visibility, params);
        if (rule != null) {
            sql.append(" WHERE ").append(rule);
        }
        return sql.toString();
    }

    private static String rule(Rule rule, Visibility visibility, List<Object> params) {
        List<String> patterns = visibility.repositoryPatterns();
        switch (rule) {
            case IDENTITY -> {
                if (visibility.identity() == null) {
                    return null;
                }
                params.add(visibility.identity());
                return "Identity = ?";
            }
            case REPOSITORY, METRICS, GUN -> {
                if (patterns == null) {
                    return null;
                }
                // for GUNs the patterns come with each registry host in front too (AccessRules.visibility)
                String column = rule == Rule.GUN ? "GUN" : "Repository";
                List<String> any = new ArrayList<>();
                for (String p : patterns) {
                    any.add(column + " LIKE ? ESCAPE '\\'");
                    params.add(Visibility.like(p));
                }
                String visible = any.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", any) + ")";
                return rule == Rule.METRICS ? "Repository <> '' AND " + visible : visible;
            }
            default -> throw new IllegalStateException(rule.name());
        }
    }
}
