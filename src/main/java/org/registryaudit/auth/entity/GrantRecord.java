package org.registryaudit.auth.entity;

import java.util.LinkedHashSet;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A grant on the wire: actions ({@code pull}, {@code push}, {@code delete}, {@code *}) on a name
 * pattern. (No {@code @NotEmpty} or {@code @Size} here: Payara's OpenAPI scanner fails on them in
 * records; the directory checks that actions are not empty.)
 */
public record GrantRecord(
        @NotNull @Pattern(regexp = RepositoryPatterns.REGEX, message = RepositoryPatterns.MESSAGE)
        String repository,

        @NotNull
        List<@NotNull @Pattern(regexp = "pull|push|delete|\\*", message = "must be pull, push, delete or *") String>
                actions) {

    public static GrantRecord of(Grant grant) {
        return new GrantRecord(grant.getRepositoryPattern(), List.copyOf(grant.getActions()));
    }

    public Grant toGrant() {
        return new Grant(repository, new LinkedHashSet<>(actions));
    }
}
