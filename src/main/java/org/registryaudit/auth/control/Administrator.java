package org.registryaudit.auth.control;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.platform.control.Secrets;

/**
 * The bootstrap administrator, from configuration: {@code registry-audit.admin.user} and
 * {@code registry-audit.admin.password}; without a configured password one is generated into the
 * data directory's {@code admin-password} file.
 */
@ApplicationScoped
public class Administrator {

    @Inject
    @ConfigProperty(name = "registry-audit.admin.user", defaultValue = "admin")
    String user;

    @Inject
    @ConfigProperty(name = "registry-audit.admin.password")
    Optional<String> configuredPassword;

    private String password;

    /** Created at deployment, so that a generated secret's file exists before the first request. */
    void atStart(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        // the observer's only job is to instantiate the bean, which runs init()
    }

    @PostConstruct
    void init() {
        password = Secrets.configuredOrGenerated(configuredPassword, "admin-password", "administrator password");
    }

    /** The user named by a Basic Authorization header if its password is right, else empty. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String name = decoded.substring(0, colon);
        boolean userOk = Secrets.matches(user, name);
        boolean passwordOk = Secrets.matches(password, decoded.substring(colon + 1));
        return userOk && passwordOk ? Optional.of(name) : Optional.empty();
    }
}
