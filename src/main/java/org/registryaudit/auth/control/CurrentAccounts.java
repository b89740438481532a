package org.registryaudit.auth.control;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.auth.control.AccessRules.Account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The accounts and public repository patterns that every request's access decision reads, as the
 * directory held them at most a second ago: reading them through the EJB and JPA took a tenth of a
 * changefeed request's CPU (JFR, docs/benchmarks.md). A change made through this server's
 * {@link UserDirectory} empties them once its transaction completes, so it holds from the next
 * request on; another server sharing the database sees it within a second.
 */
@ApplicationScoped
public class CurrentAccounts {

    static final Duration KEEP = Duration.ofSeconds(1);
    private static final int MAX_KEPT = 10_000;

    @Inject
    UserDirectory users;

    @Inject
    @ConfigProperty(name = "registry-audit.registry-hosts")
    Optional<String> registryHosts;

    private final Cache<String, Optional<Account>> accounts =
            Caffeine.newBuilder().expireAfterWrite(KEEP).maximumSize(MAX_KEPT).build();
    private final Cache<String, List<String>> publicPatterns =
            Caffeine.newBuilder().expireAfterWrite(KEEP).maximumSize(1).build();

    /** The current account of a user, or empty if it no longer exists. */
    public Optional<Account> account(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return accounts.get(name, users::account);
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
        return publicPatterns.get("", k -> List.copyOf(users.publicPatterns()));
    }

    void changed(@Observes(during = TransactionPhase.AFTER_COMPLETION) UserDirectory.Changed change) {
        accounts.invalidateAll();
        publicPatterns.invalidateAll();
    }
}
