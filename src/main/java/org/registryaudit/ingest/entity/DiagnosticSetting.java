package org.registryaudit.ingest.entity;

import java.io.Serializable;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** What happens to one category of one login server ({@code *}: every login server without a row). */
@Entity
@Table(name = "DiagnosticSettings")
@IdClass(DiagnosticSetting.Key.class)
public class DiagnosticSetting {

    public static final String ANY_LOGIN_SERVER = "*";

    /** The composite key, as JPA wants it. */
    public static class Key implements Serializable {
        private String loginServer;
        private String category;

        public Key() {}

        public Key(String loginServer, String category) {
            this.loginServer = loginServer;
            this.category = category;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && java.util.Objects.equals(loginServer, k.loginServer)
                    && java.util.Objects.equals(category, k.category);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(loginServer, category);
        }
    }

    @Id
    @Column(name = "LoginServer")
    private String loginServer;

    @Id
    @Column(name = "Category")
    private String category;

    @Column(name = "Collect", nullable = false)
    private boolean collect;

    @Column(name = "Archive", nullable = false)
    private boolean archive;

    @Column(name = "RetentionDays", nullable = false)
    private int retentionDays;

    /** Destination names, comma-separated; null for none. */
    @Column(name = "StreamTo")
    private String streamTo;

    protected DiagnosticSetting() {}

    public DiagnosticSetting(String loginServer, String category) {
        this.loginServer = loginServer;
        this.category = category;
    }

    public void set(SettingRecord r) {
        this.collect = r.collect();
        this.archive = r.archive();
        this.retentionDays = r.retentionDays();
        this.streamTo = r.streamTo().isEmpty() ? null : String.join(",", r.streamTo());
    }

    public SettingRecord toRecord() {
        return new SettingRecord(
                loginServer,
                category,
                collect,
                archive,
                retentionDays,
                streamTo == null ? List.of() : List.of(streamTo.split(",")));
    }
}
