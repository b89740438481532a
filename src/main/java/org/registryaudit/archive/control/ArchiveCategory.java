package org.registryaudit.archive.control;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.ingest.entity.RejectedMessage;
import org.registryaudit.platform.entity.AuditTable;

/**
 * An archived table and how its row becomes a record of the Azure storage archive: {@code time},
 * {@code resourceId}, {@code operationName}, {@code category}, the common result columns at the
 * top, every stored column in {@code properties} under its own name, so that a record can be put
 * back as the row it was. The columns, their types, the time and the login server come from the
 * owner's {@link AuditTable}; only the record's top level is the archive's own.
 *
 * @param audit the owner's description of the table
 * @param operation the {@code operationName} of its records, for tables without an OperationName column
 * @param topLevel Azure field name to column, for the fields at the top of a record
 * @param columns every column of the table that the record keeps, in order (the table's)
 * @param timeColumns those of them that hold times: written as RFC 3339 text, read back as times
 */
public record ArchiveCategory(
        AuditTable audit,
        String operation,
        Map<String, String> topLevel,
        List<String> columns,
        Set<String> timeColumns) {

    /** Export and restore ask for every cell, so the column lists are made once. */
    ArchiveCategory(AuditTable audit, String operation, Map<String, String> topLevel) {
        this(audit, operation, topLevel, audit.columnNames(), audit.timeColumns());
    }

    private static final Map<String, String> EVENT_TOP_LEVEL = Map.of(
            "operationName",
            "OperationName",
            "resultType",
            "ResultType",
            "resultDescription",
            "ResultDescription",
            "durationMs",
            "DurationMs",
            "callerIpAddress",
            "CallerIpAddress",
            "correlationId",
            "CorrelationId",
            "identity",
            "Identity");

    public static final ArchiveCategory REPOSITORY_EVENTS =
            new ArchiveCategory(RepositoryEvent.TABLE, null, EVENT_TOP_LEVEL);

    public static final ArchiveCategory LOGIN_EVENTS = new ArchiveCategory(LoginEvent.TABLE, null, EVENT_TOP_LEVEL);

    public static final ArchiveCategory TRUST_CHANGES = new ArchiveCategory(TrustChange.TABLE, "TrustChange", Map.of());

    /** Messages that could not be stored, with the reason and the raw body; archived like the rest. */
    public static final ArchiveCategory REJECTED_MESSAGES =
            new ArchiveCategory(RejectedMessage.TABLE, "Reject", Map.of("resultDescription", "Reason"));

    public static final List<ArchiveCategory> ALL =
            List.of(REPOSITORY_EVENTS, LOGIN_EVENTS, TRUST_CHANGES, REJECTED_MESSAGES);

    public static ArchiveCategory named(String name) {
        return ALL.stream()
                .filter(c -> c.name().equalsIgnoreCase(name))
                .findFirst()
                .orElse(null);
    }

    public static List<String> names() {
        return ALL.stream().map(ArchiveCategory::name).toList();
    }

    /** The Azure category: the table's name. */
    public String name() {
        return audit.name();
    }

    public String table() {
        return audit.from();
    }

    /** The column that decides a record's hour and its age. */
    public String time() {
        return audit.time();
    }

    /** The column (or expression) that names the login server. */
    public String server() {
        return audit.server();
    }

    /** Its name in the configuration keys, {@code registry-audit.retention.<configName>-days}. */
    public String configName() {
        return audit.key();
    }

    public boolean isTime(String column) {
        return timeColumns.contains(column);
    }

    /**
     * A keyset page in the order of archive and export, {@code (time, Id)}: the first page, or with
     * {@code after} the page after the row bound to the last three parameters (time, time, Id).
     */
    public String keysetPage(String select, String where, boolean after, int limit) {
        String time = time();
        return "SELECT " + select + " FROM " + table() + " WHERE " + where
                + (after ? " AND (" + time + " > ? OR (" + time + " = ? AND Id > ?))" : "")
                + " ORDER BY " + time + ", Id FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** The container folder of the Azure storage archive: {@code insights-logs-<category lowercased>}. */
    public String container() {
        return "insights-logs-" + name().toLowerCase(Locale.ROOT);
    }
}
