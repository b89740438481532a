package org.registryaudit.auth.entity;

import java.time.Instant;
import java.util.List;

/** A user on the wire (admin API output): never the password or its hash. */
public record UserRecord(String name, String role, List<GrantRecord> grants, Instant createdAt, Instant updatedAt) {

    public static UserRecord of(RegistryUser user) {
        return new UserRecord(
                user.getName(),
                user.getRole(),
                user.getGrants().stream().map(GrantRecord::of).toList(),
                user.getCreatedAt(),
                user.getUpdatedAt());
    }
}
