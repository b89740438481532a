-- Registry Audit schema, version 2: the token service's users, their grants and the repositories
-- anyone may pull. Passwords are stored only as Jakarta Security PBKDF2 hashes.

CREATE TABLE RegistryUsers (
    Name          VARCHAR(255)  NOT NULL PRIMARY KEY,
    PasswordHash  VARCHAR(512)  NOT NULL,
    Role          VARCHAR(32),
    CreatedAt     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    UpdatedAt     TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- Actions is a comma-separated subset of pull, push, delete, or '*' (all of them).
CREATE TABLE RepositoryGrants (
    UserName          VARCHAR(255) NOT NULL REFERENCES RegistryUsers (Name) ON DELETE CASCADE,
    RepositoryPattern VARCHAR(255) NOT NULL,
    Actions           VARCHAR(64)  NOT NULL,
    PRIMARY KEY (UserName, RepositoryPattern)
);

CREATE TABLE PublicRepositories (
    Pattern    VARCHAR(255) NOT NULL PRIMARY KEY,
    CreatedAt  TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
