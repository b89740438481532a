package org.registryaudit.platform.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the service keeps its own files (signing keys, generated secrets): the system property
 * {@code registry-audit.data-dir} or the environment variable {@code REGISTRY_AUDIT_DATA_DIR}, else
 * {@code registry-audit/} under the server's instance directory (Payara's --rootdir, WildFly's data
 * directory). Read without MicroProfile Config because the token key is needed while Config itself
 * is being built (see TokenKeyConfigSource).
 */
public final class DataDirectory {

    private DataDirectory() {}

    private static final System.Logger LOG = System.getLogger(DataDirectory.class.getName());

    /**
     * Makes a directory of ours reachable by its owner only (0700), creating it if needed: the
     * embedded database, the broker journal, keys and the archive must not be open to every local
     * user, whatever the umask gave the files inside. Where the file system has no POSIX
     * permissions, the administrator's own setting stands.
     */
    public static void keepPrivate(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "No POSIX permissions on {0}", directory);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Cannot make {0} private to its owner: {1}",
                    directory,
                    e.getMessage());
        }
    }

    /** The server's instance directory (Payara's --rootdir, WildFly's data directory), if it has one. */
    public static Path serverRoot() {
        String root = System.getProperty("com.sun.aas.instanceRoot", System.getProperty("jboss.server.data.dir"));
        return root == null ? null : Paths.get(root);
    }

    public static Path get() {
        String configured = System.getProperty("registry-audit.data-dir", System.getenv("REGISTRY_AUDIT_DATA_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        String root = System.getProperty("com.sun.aas.instanceRoot", System.getProperty("jboss.server.data.dir"));
        return root != null
                ? Paths.get(root, "registry-audit")
                : Paths.get(System.getProperty("user.home"), ".registry-audit");
    }

    /**
     * This server among several sharing a database: its host and data directory, so that a server
     * restarted after a crash is the same one (and takes its own leases back at once).
     */
    public static String serverName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        String id = host + ":" + get();
        return id.length() > 255 ? id.substring(0, 255) : id;
    }
}
