package org.registryaudit.query.boundary;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Log Analytics workspaces and registry resources the query API answers for, and the login
 * servers each covers, from configuration: {@code registry-audit.log-analytics.workspaces}
 * ({@code <workspace id>=<login server>|<login server>…} or {@code =*} for all, entries separated
 * by commas) and {@code registry-audit.log-analytics.resources} ({@code <resource id>=<login
 * server>}, one registry each, as Azure's resource-centric queries address them).
 */
@ApplicationScoped
public class Workspaces {

    @Inject
    @ConfigProperty(name = "registry-audit.log-analytics.workspaces")
    String workspaceConfig;

    @Inject
    @ConfigProperty(name = "registry-audit.log-analytics.resources")
    Optional<String> resourceConfig;

    /** What a workspace or resource covers: these login servers, or all of them (null). */
    public record Coverage(Set<String> loginServers) {}

    /** By id, as {@link #normal} writes it. */
    private final Map<String, Coverage> workspaces = new LinkedHashMap<>();

    private final Map<String, Coverage> resources = new LinkedHashMap<>();

    @PostConstruct
    void read() {
        parse(workspaceConfig, "registry-audit.log-analytics.workspaces", workspaces);
        parse(resourceConfig.orElse(""), "registry-audit.log-analytics.resources", resources);
    }

    static void parse(String config, String key, Map<String, Coverage> into) {
        for (String entry : config.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.lastIndexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(
                        key + ": '" + entry.trim() + "' is not <id>=<login server>|<login server>… or <id>=*");
            }
            String servers = entry.substring(equals + 1).trim();
            into.put(
                    normal(entry.substring(0, equals)),
                    new Coverage(servers.equals("*") ? null : Set.of(servers.split("\\s*\\|\\s*"))));
        }
    }

    /** Ids are compared as Azure compares them: without case, and a resource id without its leading slash. */
    private static String normal(String id) {
        String trimmed = id.trim().toLowerCase(Locale.ROOT);
        return trimmed.startsWith("/") ? trimmed.substring(1) : trimmed;
    }

    public Optional<Coverage> workspace(String id) {
        return Optional.ofNullable(workspaces.get(normal(id)));
    }

    public Optional<Coverage> resource(String id) {
        return Optional.ofNullable(resources.get(normal(id)));
    }
}
