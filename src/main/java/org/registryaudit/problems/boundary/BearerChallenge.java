package org.registryaudit.problems.boundary;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code WWW-Authenticate: Bearer realm=…,service=…} challenge that sends a Docker or Notary
 * client to the token endpoint. The realm is {@code registry-audit.token.realm} when set (the
 * public address of {@code /auth/token}, which a proxy's Host header cannot change), else the
 * address the request came to. Every value is a quoted string with {@code "} and {@code \} escaped,
 * so a name in the scope can add no parameter of its own.
 */
@ApplicationScoped
public class BearerChallenge {

    @Inject
    @ConfigProperty(name = "registry-audit.token.realm")
    Optional<String> realm;

    @Inject
    @ConfigProperty(name = "registry-audit.token.service")
    String service;

    /** The realm a client should ask for a token; {@code base} is the application's base address. */
    public String realm(URI base) {
        return realm.filter(r -> !r.isBlank())
                .orElseGet(() -> base.resolve("auth/token").toString());
    }

    /**
     * @param scope the scope the request needed, or null
     * @param error {@code invalid_token} when a token was sent and refused, or null
     */
    public String header(URI base, String scope, String error) {
        StringBuilder challenge = new StringBuilder("Bearer realm=")
                .append(quoted(realm(base)))
                .append(",service=")
                .append(quoted(service));
        if (scope != null) {
            challenge.append(",scope=").append(quoted(scope));
        }
        if (error != null) {
            challenge.append(",error=").append(quoted(error));
        }
        return challenge.toString();
    }

    static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", " ") + '"';
    }
}
