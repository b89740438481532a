package org.registryaudit.changefeed.control;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * One followed Notary server as configured: {@code registry-audit.notary.<name>.url} and, as needed,
 * {@code .ca-file} (PEM certificates to trust for its TLS), {@code .username} and {@code .password}
 * (for a server that delegates to a token service).
 */
public record NotaryServer(
        String name, String url, Optional<String> caFile, Optional<String> username, Optional<String> password) {

    static NotaryServer configured(Config config, String name) {
        String prefix = "registry-audit.notary." + name + ".";
        String url = config.getOptionalValue(prefix + "url", String.class)
                .orElseThrow(() -> new IllegalStateException(
                        "Notary server '" + name + "' is followed but " + prefix + "url is not set"));
        return new NotaryServer(
                name,
                url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                config.getOptionalValue(prefix + "ca-file", String.class),
                config.getOptionalValue(prefix + "username", String.class),
                config.getOptionalValue(prefix + "password", String.class));
    }

    @Override
    public String toString() { // no password in any log line
        return name + " (" + url + ")";
    }
}
