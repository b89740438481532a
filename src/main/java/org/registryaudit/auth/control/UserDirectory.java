package org.registryaudit.auth.control;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.AuditApplication;
import org.registryaudit.auth.control.AccessRules.Account;
import org.registryaudit.auth.entity.Grant;
import org.registryaudit.auth.entity.GrantRecord;
import org.registryaudit.auth.entity.PublicRepository;
import org.registryaudit.auth.entity.RegistryUser;
import org.registryaudit.auth.entity.UserRecord;
import org.registryaudit.auth.entity.UserRequest;
import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * The users of the token service, their grants and the public repositories. Passwords are kept
 * only as Jakarta Security PBKDF2 hashes ({@code registry-audit.password.iterations} rounds of
 * HMAC-SHA256 for new hashes; a stored hash carries its own parameters).
 */
@Stateless
public class UserDirectory {

    /** Names the registry ecosystem accepts as a login; {@code anonymous} is what an unauthenticated caller is called. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    public static final String ANONYMOUS = "anonymous";
    static final int MAX_GRANTS = 1000;

    @Inject
    Clock clock;

    @PersistenceContext
    EntityManager em;

    @Inject
    Pbkdf2PasswordHash hash;

    /** Fired by every change of users, grants or public repositories; {@link CurrentAccounts} forgets what it kept. */
    public record Changed() {}

    @Inject
    Event<Changed> changed;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    @ConfigProperty(name = "registry-audit.password.iterations")
    int iterations;

    /** Verified against when the user does not exist, so that an unknown name costs as much as a wrong password. */
    private static volatile String decoy;

    @PostConstruct
    void init() {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256");
        parameters.put("Pbkdf2PasswordHash.Iterations", String.valueOf(iterations));
        parameters.put("Pbkdf2PasswordHash.SaltSizeBytes", "32");
        hash.initialize(parameters);
        if (decoy == null) { // once per JVM, not once per pooled instance: it costs a full hash
            decoy = hash.generate("decoy-password".toCharArray());
        }
    }

    /** The account whose password this is, or empty; the same work either way. */
    public Optional<Account> authenticate(String name, String password) {
        RegistryUser user = name == null ? null : em.find(RegistryUser.class, name);
        boolean valid = hash.verify(password.toCharArray(), user == null ? decoy : user.getPasswordHash());
        return valid && user != null ? Optional.of(account(user)) : Optional.empty();
    }

    /**
     * The current account of a user, or empty if it no longer exists. Read on every request of the
     * audit APIs, so it joins a caller's transaction but does not start one of its own.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<Account> account(String name) {
        return Optional.ofNullable(name == null ? null : em.find(RegistryUser.class, name))
                .map(UserDirectory::account);
    }

    private static Account account(RegistryUser user) {
        return new Account(user.getName(), user.getRole(), user.getGrants());
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<String> publicPatterns() {
        return em.createQuery("select p.pattern from PublicRepository p order by p.pattern", String.class)
                .getResultList();
    }

    public List<UserRecord> list() {
        return em
                .createQuery("select u from RegistryUser u order by u.name", RegistryUser.class)
                .getResultList()
                .stream()
                .map(UserRecord::of)
                .toList();
    }

    public Optional<UserRecord> find(String name) {
        return Optional.ofNullable(em.find(RegistryUser.class, name)).map(UserRecord::of);
    }

    public record Saved(UserRecord user, boolean created) {}

    /** Creates the user or replaces its role and grants (and password, if one is given). */
    public Saved save(String name, UserRequest request) {
        checkName(name);
        if (request.grantsOrEmpty().size() > MAX_GRANTS) {
            throw new InvalidRequestException("grants: a user has at most " + MAX_GRANTS + " grants");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        RegistryUser user = em.find(RegistryUser.class, name);
        boolean created = user == null;
        if (created) {
            if (request.password() == null) {
                throw new InvalidRequestException("password: a new user needs a password");
            }
            user = new RegistryUser(name, hash.generate(request.password().toCharArray()), now);
            em.persist(user);
        } else if (AuditApplication.ADMIN.equals(user.getRole()) && !AuditApplication.ADMIN.equals(request.role())) {
            requireAnotherAdmin(name);
        }
        String newHash = !created && request.password() != null
                ? hash.generate(request.password().toCharArray())
                : null;
        user.update(newHash, request.role(), merged(request.grantsOrEmpty()), now);
        if (newHash != null) {
            refreshTokens.revokeAll(name); // a new password ends what the old one gave
        }
        changed.fire(new Changed());
        return new Saved(UserRecord.of(user), created);
    }

    /** One grant per pattern: the actions of repeated patterns are joined. */
    static List<Grant> merged(List<GrantRecord> grants) {
        if (grants.stream().anyMatch(g -> g.actions().isEmpty())) {
            throw new InvalidRequestException("grants: every grant needs at least one action");
        }
        Map<String, Set<String>> actions = new LinkedHashMap<>();
        grants.forEach(g -> actions.computeIfAbsent(g.repository(), p -> new LinkedHashSet<>())
                .addAll(g.actions()));
        return actions.entrySet().stream()
                .map(e -> new Grant(e.getKey(), e.getValue()))
                .toList();
    }

    public void delete(String name) {
        RegistryUser user = em.find(RegistryUser.class, name);
        if (user == null) {
            throw new NotFoundException("there is no user '" + name + "'");
        }
        if (AuditApplication.ADMIN.equals(user.getRole())) {
            requireAnotherAdmin(name);
        }
        em.remove(user);
        changed.fire(new Changed());
    }

    private void requireAnotherAdmin(String name) {
        long admins = em.createQuery(
                        "select count(u) from RegistryUser u where u.role = :admin and u.name <> :name", Long.class)
                .setParameter("admin", AuditApplication.ADMIN)
                .setParameter("name", name)
                .getSingleResult();
        if (admins == 0) {
            throw new ClientErrorException(
                    "'" + name + "' is the last admin; make another user admin first", Response.Status.CONFLICT);
        }
    }

    /** Creates the bootstrap administrator unless a user of that name exists. */
    public boolean bootstrap(String name, String password) {
        if (em.find(RegistryUser.class, name) != null) {
            return false;
        }
        save(name, new UserRequest(password, AuditApplication.ADMIN, List.of()));
        return true;
    }

    /** Marks repositories matching the pattern public; true if it was not yet. */
    public boolean makePublic(String pattern) {
        if (em.find(PublicRepository.class, pattern) != null) {
            return false;
        }
        em.persist(new PublicRepository(pattern, clock.instant().truncatedTo(ChronoUnit.MICROS)));
        changed.fire(new Changed());
        return true;
    }

    public void makePrivate(String pattern) {
        PublicRepository repository = em.find(PublicRepository.class, pattern);
        if (repository == null) {
            throw new NotFoundException("'" + pattern + "' is not a public repository pattern");
        }
        em.remove(repository);
        changed.fire(new Changed());
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || ANONYMOUS.equalsIgnoreCase(name)) {
            throw new InvalidRequestException("a user name is 1 to 128 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit, and not '" + ANONYMOUS + "'; '" + name + "' is not");
        }
    }
}
