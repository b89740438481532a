package org.registryaudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The components' dependencies go one way, in the order of the root package-info: each component
 * imports only components before it in {@link #LAYERS} (and the root's {@code AuditApplication},
 * the roles). A new import that breaks the order fails here, not in a newcomer's head.
 */
class ArchitectureTest {

    static final List<String> LAYERS = List.of(
            "problems",
            "platform",
            "events",
            "auth",
            "changefeed",
            "ingest",
            "archive",
            "streaming",
            "metrics",
            "query",
            "console");
    /** Packaged apart (the RAR) and used by nothing: it may use nothing of the application either. */
    static final String APART = "broker";

    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?org\\.registryaudit\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Path ROOT = Path.of("src/main/java/org/registryaudit");

    @Test
    void everyComponentUsesOnlyThoseBeforeIt() throws IOException {
        Map<String, Set<String>> used = uses();
        Set<String> components = new TreeSet<>(LAYERS);
        components.add(APART);
        assertEquals(components, used.keySet(), "every component is in LAYERS (or is the broker)");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<String>> component : used.entrySet()) {
            int layer = LAYERS.indexOf(component.getKey());
            for (String other : component.getValue()) {
                int otherLayer = LAYERS.indexOf(other);
                if (layer < 0 || otherLayer < 0 || otherLayer >= layer) {
                    wrong.add(component.getKey() + " -> " + other);
                }
            }
        }
        assertTrue(wrong.isEmpty(), "imports against the order " + LAYERS + ": " + wrong);
    }

    /** Component to the other components its files import. */
    static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = ROOT.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the root: AuditApplication and the package-info
                }
                String component = relative.getName(0).toString();
                Set<String> others = uses.computeIfAbsent(component, c -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(component)) {
                        others.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }
}
