package org.registryaudit.auth.entity;

/**
 * What a repository name pattern may hold: the characters of repository names (lower-case letters,
 * digits, {@code . _ - /}), a {@code host:port} prefix, and {@code *} as the wildcard.
 */
public final class RepositoryPatterns {

    public static final String REGEX = "[a-z0-9._/:*-]{1,255}";
    public static final String MESSAGE = "must be a repository name pattern of lower-case letters, digits, "
            + "'.', '_', '-', '/', ':' and '*' (any characters), at most 255 long, such as library/*";

    private RepositoryPatterns() {}
}
