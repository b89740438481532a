package org.registryaudit.platform.control;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the service keeps its own files (signing keys, generated secrets): the system property
 * {@code registry-audit.data-dir} or the environment variable {@code REGISTRY_AUDIT_DATA_DIR}, else
 * {@code registry-audit/} under the server's instance directory (Payara's --rootdir, WildFly's data
 * directory). Read without MicroProfile Config because the token key is needed while Config itself
 * is being built (see TokenKeyConfigSource).
 */
public final class DataDirectory {

    private DataDirectory() {
    }

    public static Path get() {
        String configured = System.getProperty("registry-audit.data-dir", System.getenv("REGISTRY_AUDIT_DATA_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        String root = System.getProperty("com.sun.aas.instanceRoot", System.getProperty("jboss.server.data.dir"));
        return root != null ? Paths.get(root, "registry-audit")
                : Paths.get(System.getProperty("user.home"), ".registry-audit");
    }
}
