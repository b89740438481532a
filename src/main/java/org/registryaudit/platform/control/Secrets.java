package org.registryaudit.platform.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A secret that is either configured or, for the zero-setup start, generated once into a file of
 * the data directory readable only by its owner. The log names the file, never the secret.
 */
public final class Secrets {

    private static final System.Logger LOG = System.getLogger(Secrets.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String configuredOrGenerated(Optional<String> configured, String fileName, String what) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get();
        }
        Path file = DataDirectory.get().resolve(fileName);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[24];
                RANDOM.nextBytes(random);
                writePrivate(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
                LOG.log(System.Logger.Level.INFO, "Generated the {0}; it is in {1}", what, file);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the " + what + " in " + file, e);
        }
    }

    /** Writes a file readable by its owner only, atomically: a crash never leaves half a key. */
    public static void writePrivate(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions have to protect it
        }
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Compares in time independent of where the two differ. */
    public static boolean matches(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
