package org.registryaudit.archive.entity;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The archived tables and how a row becomes a record of the Azure storage archive: {@code time},
 * {@code resourceId}, {@code operationName}, {@code category}, the common result columns at the
 * top, every other column in {@code properties} under its own name, so that a record can be put
 * back as the row it was.
 *
 * @param table the table
 * @param time the column that decides the record's hour and its age
 * @param server the column (or expression) that names the login server
 * @param configName its name in the configuration keys, {@code registry-audit.retention.<configName>-days}
 * @param operation the {@code operationName} of its records, for tables without an OperationName column
 * @param topLevel Azure field name to column, for the fields at the top of a record
 * @param columns every column of the table that the record keeps, in order
 */
public record ArchiveCategory(String name, String table, String time, String server, String configName,
        String operation, Map<String, String> topLevel, List<String> columns) {

    public static final ArchiveCategory REPOSITORY_EVENTS = new ArchiveCategory("ContainerRegistryRepositoryEvents",
            "ContainerRegistryRepositoryEvents", "TimeGenerated", "LoginServer", "repository-events", null,
            Map.of("operationName", "OperationName", "resultType", "ResultType",
                    "resultDescription", "ResultDescription", "durationMs", "DurationMs",
                    "callerIpAddress", "CallerIpAddress", "correlationId", "CorrelationId", "identity", "Identity"),
            List.of("Id", "EventId", "TimeGenerated", "ReceivedAt", "LoginServer", "OperationName", "Repository", "Tag",
                    "Digest", "MediaType", "ArtifactType", "Size", "FromRepository", "Identity", "ResultType",
                    "ResultDescription", "CallerIpAddress", "UserAgent", "HttpMethod", "DurationMs", "CorrelationId",
                    "Region"));

    public static final ArchiveCategory LOGIN_EVENTS = new ArchiveCategory("ContainerRegistryLoginEvents",
            "ContainerRegistryLoginEvents", "TimeGenerated", "LoginServer", "login-events", null,
            Map.of("operationName", "OperationName", "resultType", "ResultType",
                    "resultDescription", "ResultDescription", "durationMs", "DurationMs",
                    "callerIpAddress", "CallerIpAddress", "correlationId", "CorrelationId", "identity", "Identity"),
            List.of("Id", "EventId", "TimeGenerated", "ReceivedAt", "LoginServer", "OperationName", "Identity", "JwtId",
                    "ResultType", "ResultDescription", "CallerIpAddress", "UserAgent", "DurationMs", "CorrelationId",
                    "Region"));

    /** Trust changes have no login server; their source (the Notary server, the producer) stands in. */
    public static final ArchiveCategory TRUST_CHANGES = new ArchiveCategory("TrustChanges", "TrustChanges",
            "CreatedAt", "COALESCE(Source, '-')", "trust-changes", "TrustChange", Map.of(),
            List.of("Id", "EventId", "FeedAt", "CreatedAt", "ReceivedAt", "GUN", "Version", "SHA256", "Category",
                    "Source"));

    /**
     * Messages that could not be stored, with the reason and the raw body; kept for inspection,
     * then archived like the rest. Their login server is the producer's, '-' when it named none.
     */
    public static final ArchiveCategory REJECTED_MESSAGES = new ArchiveCategory("RejectedMessages", "RejectedMessages",
            "ReceivedAt", "COALESCE(LoginServer, '-')", "rejected-messages", "Reject",
            Map.of("resultDescription", "Reason"),
            List.of("Id", "ReceivedAt", "Source", "MessageId", "ContentType", "LoginServer", "Reason", "Fingerprint",
                    "BodyLength", "Body"));

    /** The columns that hold times: written as RFC 3339 text, read back as times. */
    public static final java.util.Set<String> TIME_COLUMNS = java.util.Set.of("TimeGenerated", "ReceivedAt", "FeedAt",
            "CreatedAt");

    public static final List<ArchiveCategory> ALL = List.of(REPOSITORY_EVENTS, LOGIN_EVENTS, TRUST_CHANGES, REJECTED_MESSAGES);

    public static ArchiveCategory named(String name) {
        return ALL.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /**
     * A keyset page in the order of archive and export, {@code (time, Id)}: the first page, or with
     * {@code after} the page after the row bound to the last three parameters (time, time, Id).
     */
    public String keysetPage(String select, String where, boolean after, int limit) {
        return "SELECT " + select + " FROM " + table + " WHERE " + where
                + (after ? " AND (" + time + " > ? OR (" + time + " = ? AND Id > ?))" : "")
                + " ORDER BY " + time + ", Id FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** The container folder of the Azure storage archive: {@code insights-logs-<category lowercased>}. */
    public String container() {
        return "insights-logs-" + name.toLowerCase(Locale.ROOT);
    }
}
