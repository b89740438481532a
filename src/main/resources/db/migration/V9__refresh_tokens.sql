-- Registry Audit schema, version 9: refresh tokens of the token service's OAuth2 form
-- (POST /auth/token with access_type=offline), the "identity token" that docker and skopeo keep
-- instead of a password, and what keeps the console signed in. Only the SHA-256 of a token is
-- kept; a user's tokens go with the user, and with a new password (UserDirectory).
CREATE TABLE RefreshTokens (
    TokenHash  VARCHAR(64)   NOT NULL PRIMARY KEY,
    UserName   VARCHAR(255)  NOT NULL REFERENCES RegistryUsers (Name) ON DELETE CASCADE,
    ClientId   VARCHAR(255)  NOT NULL,
    IssuedAt   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ExpiresAt  TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE INDEX RefreshTokensByUser ON RefreshTokens (UserName, IssuedAt);
