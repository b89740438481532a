package org.registryaudit.streaming.control;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

/**
 * The signing secret of each webhook destination: configuration only,
 * {@code registry-audit.stream.<name>.secret}, read where it is used and never written anywhere.
 */
@ApplicationScoped
public class WebhookSecrets {

    @Inject
    Config config;

    /** The destination's signature; throws IllegalArgumentException saying what is wrong (never the secret). */
    public WebhookSignature signature(String name) {
        Optional<String> secret = config.getOptionalValue(key(name), String.class);
        if (secret.isEmpty() || secret.get().isBlank()) {
            throw new IllegalArgumentException("no webhook secret is configured: set " + key(name)
                    + " (environment variable " + variable(name) + ")");
        }
        try {
            return new WebhookSignature(secret.get().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key(name) + ": " + e.getMessage());
        }
    }

    public boolean configured(String name) {
        try {
            signature(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String key(String name) {
        return "registry-audit.stream." + name + ".secret";
    }

    static String variable(String name) {
        return key(name).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
