package org.registryaudit.auth.entity;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * Actions a user may take on the repositories whose names match a pattern ({@code library/*}: a
 * {@code *} stands for any run of characters, slashes included).
 */
@Embeddable
public class Grant {

    /** Actions are kept in this order, whatever order they were given in. */
    private static final List<String> ORDER = List.of("pull", "push", "delete", "*");

    @Column(name = "RepositoryPattern", nullable = false)
    private String repositoryPattern;

    @Column(name = "Actions", nullable = false)
    private String actions;

    protected Grant() {}

    public Grant(String repositoryPattern, Set<String> actions) {
        this.repositoryPattern = repositoryPattern;
        this.actions = String.join(",", ORDER.stream().filter(actions::contains).toList());
    }

    public String getRepositoryPattern() {
        return repositoryPattern;
    }

    public Set<String> getActions() {
        return new LinkedHashSet<>(Arrays.asList(actions.split(",")));
    }
}
