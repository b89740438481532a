package org.registryaudit.auth.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A repository name pattern that anyone, anonymous callers included, may pull. */
@Entity
@Table(name = "PublicRepositories")
public class PublicRepository {

    @Id
    @Column(name = "Pattern")
    private String pattern;

    @Column(name = "CreatedAt", nullable = false)
    private Instant createdAt;

    protected PublicRepository() {}

    public PublicRepository(String pattern, Instant createdAt) {
        this.pattern = pattern;
        this.createdAt = createdAt;
    }

    public String getPattern() {
        return pattern;
    }
}
