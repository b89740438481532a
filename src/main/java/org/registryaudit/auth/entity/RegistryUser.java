package org.registryaudit.auth.entity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

/** A user of the token service: a PBKDF2 password hash, an optional role, and repository grants. */
@Entity
@Table(name = "RegistryUsers")
public class RegistryUser {

    @Id
    @Column(name = "Name")
    private String name;

    @Column(name = "PasswordHash", nullable = false)
    private String passwordHash;

    @Column(name = "Role")
    private String role;

    @Column(name = "CreatedAt", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "UpdatedAt", nullable = false)
    private Instant updatedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "RepositoryGrants", joinColumns = @JoinColumn(name = "UserName"))
    private List<Grant> grants = new ArrayList<>();

    protected RegistryUser() {}

    public RegistryUser(String name, String passwordHash, Instant createdAt) {
        this.name = name;
        this.passwordHash = passwordHash;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public void update(String newPasswordHash, String newRole, List<Grant> newGrants, Instant at) {
        if (newPasswordHash != null) {
            passwordHash = newPasswordHash;
        }
        role = newRole;
        grants.clear();
        grants.addAll(newGrants);
        updatedAt = at;
    }

    public String getName() {
        return name;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public String getRole() {
        return role;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public List<Grant> getGrants() {
        return List.copyOf(grants);
    }
}
