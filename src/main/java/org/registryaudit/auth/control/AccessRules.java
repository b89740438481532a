package org.registryaudit.auth.control;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.registryaudit.AuditApplication;
import org.registryaudit.auth.entity.Grant;
import org.registryaudit.platform.entity.Visibility;

/**
 * Who may do what. Admins may do everything. Anyone else holds the actions of the grants whose
 * pattern matches the repository, plus pull on public repositories; a requested {@code *} is
 * granted as {@code *} only through a {@code *} grant, otherwise as the concrete actions held. The
 * registry catalog ({@code registry:catalog:*}, the DTR global changefeed) is for admins only.
 */
public final class AccessRules {

    public static final Set<String> ACTIONS = Set.of("pull", "push", "delete", "*");
    private static final List<String> CONCRETE = List.of("pull", "push", "delete");

    private AccessRules() {}

    /** A caller of the token endpoint: anonymous when {@code name} is null. */
    public record Account(String name, String role, List<Grant> grants) {

        public static final Account ANONYMOUS = new Account(null, null, List.of());

        public boolean isAdmin() {
            return AuditApplication.ADMIN.equals(role);
        }
    }

    /**
     * What every decision reads besides the account: the patterns of the repositories anyone may
     * pull, and the hosts of the registries ({@code registry-audit.registry-hosts}) that may stand
     * in front of a repository name, as in DTR scopes and Notary GUNs
     * ({@code registry.example.com:5000/team/app}). Only those hosts: in a distribution registry
     * {@code acme.corp/team-a/x} is an ordinary repository, which a grant on {@code team-a/*} must
     * not cover.
     */
    public record Realm(List<String> publicPatterns, Set<String> registryHosts) {

        public static final Realm NONE = new Realm(List.of(), Set.of());

        /** The same realm without public repositories (admins need none). */
        public Realm withoutPublic() {
            return new Realm(List.of(), registryHosts);
        }
    }

    /**
     * What a token request gets: the {@code access} claim entries (only what is granted, nothing
     * empty) and the requested scopes, as text, of which some action was not granted.
     */
    public record Decision(List<Map<String, Object>> access, List<String> denied) {}

    public static Decision decide(Account account, Realm realm, List<Scope> requested) {
        List<Map<String, Object>> access = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (Scope scope : requested) {
            List<String> actions = grantedActions(account, realm, scope);
            if (!actions.isEmpty()) {
                access.add(scope.claim(actions));
            }
            if (!actions.containsAll(scope.actions())) {
                denied.add(scope.text());
            }
        }
        return new Decision(List.copyOf(access), List.copyOf(denied));
    }

    static List<String> grantedActions(Account account, Realm realm, Scope scope) {
        if (account.isAdmin()) {
            return scope.actions();
        }
        if (!"repository".equals(scope.type())) {
            return List.of();
        }
        Set<String> held = held(account, realm, scope.name());
        Set<String> granted = new LinkedHashSet<>();
        for (String action : scope.actions()) {
            if (held.contains("*")) {
                granted.add(action);
            } else if ("*".equals(action)) {
                granted.addAll(held);
            } else if (held.contains(action)) {
                granted.add(action);
            }
        }
        return List.copyOf(granted);
    }

    /** Every action the account holds on one repository. */
    static Set<String> held(Account account, Realm realm, String repository) {
        Set<String> held = new LinkedHashSet<>();
        for (Grant grant : account.grants()) {
            if (matches(grant.getRepositoryPattern(), repository, realm.registryHosts())) {
                held.addAll(grant.getActions());
            }
        }
        if (realm.publicPatterns().stream().anyMatch(p -> matches(p, repository, realm.registryHosts()))) {
            held.add("pull");
        }
        return held.contains("*") || held.containsAll(CONCRETE) ? Set.of("*") : held;
    }

    /**
     * Whether a grant pattern covers a repository name. A name may carry one of the registry hosts
     * in front ({@code registry.example.com:5000/library/alpine}, as in DTR scopes and Notary
     * GUNs); the pattern then also applies to the name without it.
     */
    public static boolean matches(String pattern, String repository, Set<String> registryHosts) {
        Pattern regex = Pattern.compile(String.join(
                ".*",
                List.of(pattern.split("\\*", -1)).stream().map(Pattern::quote).toList()));
        if (regex.matcher(repository).matches()) {
            return true;
        }
        int slash = repository.indexOf('/');
        return slash > 0
                && registryHosts.contains(repository.substring(0, slash))
                && regex.matcher(repository.substring(slash + 1)).matches();
    }

    /**
     * What of the event tables the account may read; see {@link Visibility}. Each pattern comes
     * also with each registry host in front, for the tables whose names carry one (TrustChanges'
     * GUN).
     */
    public static Visibility visibility(Account account, Realm realm) {
        if (account.isAdmin()) {
            return Visibility.EVERYTHING;
        }
        List<String> patterns = new ArrayList<>(realm.publicPatterns());
        account.grants().stream()
                .filter(g -> g.getActions().contains("pull") || g.getActions().contains("*"))
                .map(Grant::getRepositoryPattern)
                .forEach(patterns::add);
        List<String> withHosts = new ArrayList<>(patterns);
        for (String host : realm.registryHosts()) {
            patterns.forEach(p -> withHosts.add(host + "/" + p));
        }
        return new Visibility(List.copyOf(withHosts), account.name() == null ? "" : account.name());
    }
}
