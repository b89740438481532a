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

    public Path root() {
        return configured.filter(d -> !d.isBlank()).map(Path::of).orElseGet(() -> DataDirectory.get().resolve("archive"))
                .toAbsolutePath();
    }
}
