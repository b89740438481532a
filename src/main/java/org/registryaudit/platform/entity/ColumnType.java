package org.registryaudit.platform.entity;

/** The types of audit table columns, named as the Log Analytics API names them (the query language and the archive use them). */
public enum ColumnType {
    STRING("string", "VARCHAR(1024)"),
    LONG("long", "BIGINT"),
    REAL("real", "DOUBLE PRECISION"),
    DATETIME("datetime", "TIMESTAMP(6) WITH TIME ZONE"),
    TIMESPAN("timespan", "BIGINT"),
    BOOL("bool", "BOOLEAN");

    private final String kusto;
    private final String sql;

    ColumnType(String kusto, String sql) {
        this.kusto = kusto;
        this.sql = sql;
    }

    public String kusto() {
        return kusto;
    }

    /** The SQL type of a NULL standing in for this column (a side of a union that lacks it). */
    public String sql() {
        return sql;
    }

    public boolean numeric() {
        return this == LONG || this == REAL;
    }
}
