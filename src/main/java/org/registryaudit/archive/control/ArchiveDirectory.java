package org.registryaudit.archive.control;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.platform.control.DataDirectory;

/** The archive directory, the cold storage: {@code registry-audit.archive.directory}, else {@code <data dir>/archive}. */
@ApplicationScoped
public class ArchiveDirectory {

    @Inject
    @ConfigProperty(name = "registry-audit.archive.directory")
    Optional<String> configured;

    private volatile Path made;

    /** The directory, made private to the service's user (0700) the first time it is asked for. */
    public Path root() {
        Path root = configured
                .filter(d -> !d.isBlank())
                .map(Path::of)
                .orElseGet(() -> DataDirectory.get().resolve("archive"))
                .toAbsolutePath();
        if (!root.equals(made)) {
            DataDirectory.keepPrivate(root);
            made = root;
        }
        return root;
    }
}
