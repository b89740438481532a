package org.registryaudit.auth.control;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.auth.control.AccessRules.Account;

/**
 * The accounts and public repository patterns that every request's access decision reads, as the
 * directory held them at most a second ago: reading them through the EJB and JPA took a tenth of a
 * changefeed request's CPU (JFR, docs/benchmarks.md). A change made through this server's
 * {@link UserDirectory} empties them once its transaction completes, so it holds from the next
 * request on; another server sharing the database sees it within a second.
 */
@ApplicationScoped
public class CurrentAccounts {

    static final long KEEP_NANOS = 1_000_000_000L;
    private static final int MAX_KEPT = 10_000;

    @Inject
    UserDirectory users;

    @Inject
    @ConfigProperty(name = "registry-audit.registry-hosts")
    Optional<String> registryHosts;

    private record Kept<T>(T value, long readAt) {

        boolean fresh() {
            return System.nanoTime() - readAt < KEEP_NANOS;
        }
    }

    private final ConcurrentHashMap<String, Kept<Optional<Account>>> accounts = new ConcurrentHashMap<>();
    private volatile Kept<List<String>> publicPatterns;

    /** The current account of a user, or empty if it no longer exists. */
    public Optional<Account> account(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Kept<Optional<Account>> kept = accounts.get(name);
        if (kept == null || !kept.fresh()) {
            if (accounts.size() >= MAX_KEPT) {
                accounts.clear();
            }
            kept = new Kept<>(users.account(name), System.nanoTime());
            accounts.put(name, kept);
        }
        return kept.value();
    }

    /** The public repositories and the registry hosts, as every access decision reads them. */
    public AccessRules.Realm realm() {
        return new AccessRules.Realm(publicPatterns(), hosts());
    }

    private volatile Set<String> hosts;

    private Set<String> hosts() {
        if (hosts == null) {
            hosts = Stream.of(registryHosts.orElse("").split(","))
                    .map(String::trim)
                    .filter(h -> !h.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        }
        return hosts;
    }

    /** The patterns of the repositories anyone may pull. */
    public List<String> publicPatterns() {
        Kept<List<String>> kept = publicPatterns;
        if (kept == null || !kept.fresh()) {
            kept = new Kept<>(List.copyOf(users.publicPatterns()), System.nanoTime());
            publicPatterns = kept;
        }
        return kept.value();
    }

    void changed(@Observes(during = TransactionPhase.AFTER_COMPLETION) UserDirectory.Changed change) {
        accounts.clear();
        publicPatterns = null;
    }
}
