package org.registryaudit.platform.entity;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Query;

import org.registryaudit.platform.entity.AuditTable.AccessRule;

/**
 * The part of the event tables a caller may see, applied to every read on top of the caller's own
 * filters: repository events only of repositories matching one of {@code repositoryPatterns}
 * (glob, {@code *} for any characters), login events only of {@code identity}. A null field means
 * no restriction; an empty pattern list means no repository events at all. The access rules of
 * {@code auth} produce it for each caller; {@link #condition} applies it to any audit table through
 * the table's own {@link AccessRule}.
 */
public record Visibility(List<String> repositoryPatterns, String identity) {

    public static final Visibility EVERYTHING = new Visibility(null, null);

    /**
     * The JPQL condition that a repository attribute ({@code e.repository}) matches one of the
     * patterns, with parameters {@code visible0…}; bind them with {@link #bindRepositories}. Only
     * for a non-null pattern list.
     */
    public String repositoryCondition(String attribute) {
        StringBuilder any = new StringBuilder("(");
        for (int i = 0; i < repositoryPatterns.size(); i++) {
            any.append(i == 0 ? "" : " or ")
                    .append(attribute)
                    .append(" like :visible")
                    .append(i)
                    .append(" escape '\\'");
        }
        return any.append(')').toString();
    }

    public void bindRepositories(Query query) {
        for (int i = 0; repositoryPatterns != null && i < repositoryPatterns.size(); i++) {
            query.setParameter("visible" + i, like(repositoryPatterns.get(i)));
        }
    }

    /**
     * The SQL condition (JDBC parameters, added to {@code params}) that limits a table to the rows
     * its rule lets this caller see; null when the caller sees every row.
     */
    public String condition(AccessRule rule, List<Object> params) {
        switch (rule.kind()) {
            case NONE -> {
                return null;
            }
            case IDENTITY -> {
                if (identity == null) {
                    return null;
                }
                params.add(identity);
                return rule.column() + " = ?";
            }
            case REPOSITORY, NAMED_REPOSITORY -> {
                if (repositoryPatterns == null) {
                    return null;
                }
                // the patterns come with each registry host in front too, for GUNs (AccessRules.visibility)
                List<String> any = new ArrayList<>();
                for (String p : repositoryPatterns) {
                    any.add(rule.column() + " LIKE ? ESCAPE '\\'");
                    params.add(like(p));
                }
                String visible = any.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", any) + ")";
                return rule.kind() == AccessRule.Kind.NAMED_REPOSITORY
                        ? rule.column() + " <> '' AND " + visible
                        : visible;
            }
            default -> throw new IllegalStateException(rule.kind().name());
        }
    }

    /** The SQL LIKE form of a glob pattern, with {@code \} as the escape character. */
    public static String like(String glob) {
        StringBuilder like = new StringBuilder(glob.length() + 4);
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '\\', '%', '_' -> like.append('\\').append(c);
                case '*' -> like.append('%');
                default -> like.append(c);
            }
        }
        return like.toString();
    }
}
