package org.registryaudit.auth.entity;

import java.util.LinkedHashSet;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A grant on the wire: actions ({@code pull}, {@code push}, {@code delete}, {@code *}) on a name pattern. */
public record GrantRecord(
        @NotNull @Size(min = 1, max = 255)
        @Pattern(regexp = RepositoryPatterns.REGEX, message = RepositoryPatterns.MESSAGE) String repository,
        @NotEmpty @Size(max = 4)
        List<@NotNull @Pattern(regexp = "pull|push|delete|\\*",
                message = "must be pull, push, delete or *") String> actions) {

    public static GrantRecord of(Grant grant) {
        return new GrantRecord(grant.getRepositoryPattern(), List.copyOf(grant.getActions()));
    }

    public Grant toGrant() {
        return new Grant(repository, new LinkedHashSet<>(actions));
    }
}
