package org.registryaudit.auth.control;

import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.platform.control.Secrets;

/**
 * The first administrator, from configuration: at start, unless a user named
 * {@code registry-audit.admin.user} exists, it is created as an admin with the password
 * {@code registry-audit.admin.password}, or without one with a password generated into the data
 * directory's {@code admin-password} file. Later changes go through the users API.
 */
@Startup
@Singleton
@DependsOn("SchemaMigration")
public class Administrator {

    private static final System.Logger LOG = System.getLogger(Administrator.class.getName());

    @Inject
    @ConfigProperty(name = "registry-audit.admin.user")
    String user;

    @Inject
    @ConfigProperty(name = "registry-audit.admin.password")
    Optional<String> configuredPassword;

    @Inject
    UserDirectory users;

    @PostConstruct
    void bootstrap() {
        String password = Secrets.configuredOrGenerated(configuredPassword, "admin-password", "administrator password");
        if (users.bootstrap(user, password)) {
            LOG.log(System.Logger.Level.INFO, "Created the administrator ''{0}''", user);
        }
    }
}
