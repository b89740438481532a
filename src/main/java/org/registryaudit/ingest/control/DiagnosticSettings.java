package org.registryaudit.ingest.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.config.Config;
import org.registryaudit.changefeed.entity.TrustChange;
import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.ingest.entity.DiagnosticSetting;
import org.registryaudit.ingest.entity.RejectedMessage;
import org.registryaudit.ingest.entity.SettingRecord;
import org.registryaudit.platform.entity.AuditTable;
import org.registryaudit.problems.boundary.InvalidRequestException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Diagnostic settings in the Azure sense: per login server and category, whether events are
 * collected (decided here, at ingest) and archived, and their retention (which the archive reads).
 * The categories are the audit tables that have a configuration key. The effective setting is the login server's own
 * row, else the {@code *} row, else the configured default
 * ({@code registry-audit.retention.<category>-days}, collected and archived).
 */
@Stateless
public class DiagnosticSettings {

    /**
     * Settings read per ingested message are kept here for a few seconds (a change through this
     * server empties it), for at most so many login servers and categories: the login server of a
     * notification is the sender's to choose.
     */
    private static final Cache<String, SettingRecord> CACHE = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(5))
            .maximumSize(10_000)
            .build();

    /** The categories, in the order of the list. */
    public static final List<AuditTable> CATEGORIES =
            List.of(RepositoryEvent.TABLE, LoginEvent.TABLE, TrustChange.TABLE, RejectedMessage.TABLE);

    /** The categories whose records can stream out as they are stored (see {@code streaming}). */
    public static final List<AuditTable> STREAMED = List.of(RepositoryEvent.TABLE, LoginEvent.TABLE);

    @PersistenceContext
    EntityManager em;

    /**
     * A setting about to be saved, for the components that have a say (the streaming component
     * checks that its destinations exist); an observer refuses it by throwing
     * InvalidRequestException.
     */
    @Inject
    Event<SettingRecord> checks;

    @Inject
    Config config;

    public SettingRecord effective(String loginServer, AuditTable category) {
        return CACHE.get(loginServer + "\n" + category.name(), k -> lookup(loginServer, category));
    }

    private SettingRecord lookup(String loginServer, AuditTable category) {
        DiagnosticSetting own =
                em.find(DiagnosticSetting.class, new DiagnosticSetting.Key(loginServer, category.name()));
        if (own == null) {
            own = em.find(
                    DiagnosticSetting.class,
                    new DiagnosticSetting.Key(DiagnosticSetting.ANY_LOGIN_SERVER, category.name()));
        }
        return own != null ? own.toRecord() : configured(category);
    }

    public SettingRecord configured(AuditTable category) {
        int days = config.getValue("registry-audit.retention." + category.key() + "-days", Integer.class);
        return new SettingRecord(DiagnosticSetting.ANY_LOGIN_SERVER, category.name(), true, true, days, List.of());
    }

    /** Every stored setting, then the configured defaults of categories without a {@code *} row. */
    public List<SettingRecord> list() {
        List<SettingRecord> all = new ArrayList<>(em
                .createQuery(
                        "select s from DiagnosticSetting s order by s.loginServer, s.category", DiagnosticSetting.class)
                .getResultList()
                .stream()
                .map(DiagnosticSetting::toRecord)
                .toList());
        for (AuditTable category : CATEGORIES) {
            if (all.stream()
                    .noneMatch(s -> s.loginServer().equals(DiagnosticSetting.ANY_LOGIN_SERVER)
                            && s.category().equals(category.name()))) {
                all.add(configured(category));
            }
        }
        return all;
    }

    public SettingRecord save(String loginServer, String categoryName, SettingRecord wanted) {
        AuditTable category = named(categoryName);
        if (category == null) {
            throw new InvalidRequestException("category '" + categoryName + "' is not one of "
                    + CATEGORIES.stream().map(AuditTable::name).toList());
        }
        if (category == RejectedMessage.TABLE && !wanted.collect()) {
            throw new InvalidRequestException(
                    "RejectedMessages are always collected: bad input is kept, never dropped; "
                            + "set collect to true (archive and retentionDays apply)");
        }
        if (wanted.retentionDays() < 1 || wanted.retentionDays() > 36500) {
            throw new InvalidRequestException("retentionDays must be from 1 to 36500, not " + wanted.retentionDays());
        }
        if (loginServer.isBlank() || loginServer.length() > 255) {
            throw new InvalidRequestException("loginServer must be 1 to 255 characters, or * for every login server");
        }
        if (!wanted.streamTo().isEmpty() && !STREAMED.contains(category)) {
            throw new InvalidRequestException("streamTo applies to "
                    + STREAMED.stream().map(AuditTable::name).toList() + "; " + category.name() + " is not streamed");
        }
        if (String.join(",", wanted.streamTo()).length() > 1024
                || Set.copyOf(wanted.streamTo()).size() < wanted.streamTo().size()) {
            throw new InvalidRequestException("streamTo names each destination once, 1024 characters in all at most");
        }
        checks.fire(new SettingRecord(
                loginServer,
                category.name(),
                wanted.collect(),
                wanted.archive(),
                wanted.retentionDays(),
                wanted.streamTo()));
        DiagnosticSetting setting =
                em.find(DiagnosticSetting.class, new DiagnosticSetting.Key(loginServer, category.name()));
        if (setting == null) {
            setting = new DiagnosticSetting(loginServer, category.name());
            em.persist(setting);
        }
        setting.set(wanted);
        CACHE.invalidateAll();
        return setting.toRecord();
    }

    public void delete(String loginServer, String categoryName) {
        AuditTable category = named(categoryName);
        DiagnosticSetting setting = category == null
                ? null
                : em.find(DiagnosticSetting.class, new DiagnosticSetting.Key(loginServer, category.name()));
        if (setting == null) {
            throw new jakarta.ws.rs.NotFoundException("no setting for " + loginServer + " / " + categoryName);
        }
        em.remove(setting);
        CACHE.invalidateAll();
    }

    private static AuditTable named(String name) {
        return CATEGORIES.stream()
                .filter(c -> c.name().equalsIgnoreCase(name))
                .findFirst()
                .orElse(null);
    }
}
