package org.registryaudit.auth.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A refresh token that a user's client keeps to get access tokens without the password: only its
 * SHA-256 is stored, with whose it is, the client that asked for it and when it ends.
 */
@Entity
@Table(name = "RefreshTokens")
public class RefreshToken {

    @Id
    @Column(name = "TokenHash")
    private String tokenHash;

    @Column(name = "UserName", nullable = false, updatable = false)
    private String userName;

    @Column(name = "ClientId", nullable = false, updatable = false)
    private String clientId;

    @Column(name = "IssuedAt", nullable = false, updatable = false)
    private Instant issuedAt;

    @Column(name = "ExpiresAt", nullable = false, updatable = false)
    private Instant expiresAt;

    protected RefreshToken() {}

    public RefreshToken(String tokenHash, String userName, String clientId, Instant issuedAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.userName = userName;
        this.clientId = clientId;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public String getUserName() {
        return userName;
    }

    public String getClientId() {
        return clientId;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }
}
