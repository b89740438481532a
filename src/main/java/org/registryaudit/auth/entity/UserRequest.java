package org.registryaudit.auth.entity;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A user as an admin creates or replaces it. The password is required for a new user and kept
 * when left out of an update; role is {@code admin}, {@code auditor} or absent (a registry-only
 * account that cannot read the audit APIs).
 */
public record UserRequest(
        @Pattern(regexp = "(?s).{8,1024}", message = "must be 8 to 1024 characters long")
        String password,

        @Pattern(regexp = "admin|auditor", message = "must be admin or auditor (or absent)")
        String role,

        List<@Valid @NotNull(message = "must not hold null") GrantRecord> grants) {

    public List<GrantRecord> grantsOrEmpty() {
        return grants == null ? List.of() : grants;
    }
}
