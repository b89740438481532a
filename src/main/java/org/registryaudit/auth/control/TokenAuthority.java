package org.registryaudit.auth.control;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.auth.control.AccessRules.Account;
import org.registryaudit.events.control.EventStore;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.problems.boundary.InvalidRequestException;

/**
 * Answers token requests: authenticates (HTTP Basic, or anonymous), applies brute-force
 * protection, grants what the access rules allow, signs the token, and records every request,
 * refused ones included, as a login event: ResultType is the outcome as an HTTP status (200; 403
 * when some requested access was not granted, the token then holding only the rest; 400, 401,
 * 429 when no token was issued) and ResultDescription starts with it, as in the Azure table.
 */
@ApplicationScoped
public class TokenAuthority {

    public static final String OPERATION = "Login";

    @Inject
    Clock clock;

    @Inject
    UserDirectory users;

    @Inject
    CurrentAccounts accounts;

    @Inject
    TokenIssuer issuer;

    @Inject
    EventStore events;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    @ConfigProperty(name = "registry-audit.token.service")
    String defaultService;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    String audiences;

    @Inject
    @ConfigProperty(name = "registry-audit.trusted-proxies")
    Optional<String> trustedProxies;

    @Inject
    @ConfigProperty(name = "registry-audit.login.account.slow-after")
    int accountSlowAfter;

    @Inject
    @ConfigProperty(name = "registry-audit.login.account.lockout-after")
    int accountLockoutAfter;

    @Inject
    @ConfigProperty(name = "registry-audit.login.address.slow-after")
    int addressSlowAfter;

    @Inject
    @ConfigProperty(name = "registry-audit.login.address.lockout-after")
    int addressLockoutAfter;

    @Inject
    @ConfigProperty(name = "registry-audit.login.lockout-seconds")
    long lockoutSeconds;

    @Inject
    @ConfigProperty(name = "registry-audit.login.anonymous.per-second")
    double anonymousPerSecond;

    @Inject
    @ConfigProperty(name = "registry-audit.login.anonymous.burst")
    int anonymousBurst;

    @Inject
    @ConfigProperty(name = "registry-audit.login.concurrent-checks")
    int concurrentChecks;

    private LoginThrottle throttle;
    private RateLimit anonymous;
    /** Password checks (PBKDF2, about 0.1 s of a core each) under way at once, for all callers together. */
    private Semaphore passwordChecks;

    private CallerAddress callerAddress;
    private Set<String> services;

    @PostConstruct
    void init() {
        throttle = new LoginThrottle(
                new LoginThrottle.Limits(accountSlowAfter, accountLockoutAfter),
                new LoginThrottle.Limits(addressSlowAfter, addressLockoutAfter),
                Duration.ofSeconds(lockoutSeconds));
        anonymous = new RateLimit(anonymousPerSecond, anonymousBurst);
        passwordChecks = new Semaphore(concurrentChecks);
        callerAddress = new CallerAddress(List.of(trustedProxies.orElse("").split(",")));
        services = Stream.of(audiences.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    /** A token request as it arrived. */
    public record Request(
            String authorization,
            String service,
            List<String> scopes,
            String peer,
            String forwardedFor,
            String userAgent,
            String correlationId,
            long startNanos) {}

    /** What the caller gets: a token, or a refusal with its HTTP status. */
    public sealed interface Outcome {}

    /** A token, and the refresh token given with it (null unless asked for with {@code access_type=offline}). */
    public record Issued(TokenIssuer.IssuedToken token, String refreshToken) implements Outcome {}

    public record Refused(int status, String detail, long retryAfterSeconds) implements Outcome {}

    /** A token request of the Docker protocol's first form: {@code GET}, HTTP Basic or anonymous. */
    public Outcome request(Request request) {
        String caller = callerAddress.of(request.peer(), request.forwardedFor());
        Credentials credentials = null;
        String service;
        List<Scope> scopes;
        try {
            credentials = Credentials.of(request.authorization());
            service = service(request.service());
            scopes = scopes(request.scopes());
        } catch (InvalidRequestException e) {
            record(
                    request,
                    credentials == null ? null : credentials.name(),
                    null,
                    400,
                    e.getMessage(),
                    caller,
                    defaultService);
            throw e;
        }
        Instant now = clock.instant();
        Account account = Account.ANONYMOUS;
        if (credentials == null) {
            RateLimit.Verdict verdict = anonymous.take(caller, now);
            if (!verdict.allowed()) {
                String detail = "too many anonymous token requests from this address; at most " + anonymousPerSecond
                        + " a second (registry-audit.login.anonymous.per-second)";
                if (verdict.record()) {
                    record(
                            request,
                            null,
                            null,
                            429,
                            detail
                                    + (verdict.unrecorded() == 0
                                            ? ""
                                            : "; " + verdict.unrecorded()
                                                    + " more refused since the last one recorded"),
                            caller,
                            service);
                }
                return new Refused(429, detail, 1);
            }
        } else {
            Authentication authentication = authenticate(credentials, caller, now);
            if (authentication.refused() != null) {
                Refused refused = authentication.refused();
                record(request, credentials.name(), null, refused.status(), refused.detail(), caller, service);
                return refused;
            }
            account = authentication.account();
        }
        return issue(request, account, service, scopes, caller, null);
    }

    /**
     * The OAuth2 form of a token request ({@code POST}, RFC 6749 as the Docker protocol uses it):
     * {@code grant_type=password} with the user's name and password, which docker and containerd
     * send first, or {@code grant_type=refresh_token} with a refresh token, which skopeo and podman
     * send when they hold one. {@code access_type=offline} asks for a refresh token too.
     */
    public record Form(
            String grantType,
            String clientId,
            String accessType,
            String username,
            String password,
            String refreshToken) {

        @Override
        public String toString() {
            return "Form[" + grantType + ", " + clientId + ", " + username + "]";
        }
    }

    /** Why an OAuth2 request was refused, in its own terms ({@code error} of RFC 6749, 5.2) and ours. */
    public static final class OAuthError extends InvalidRequestException {

        private final String error;

        OAuthError(String error, String detail) {
            super(detail);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /** Names no user can have (UserDirectory.NAME): the throttle's key for refresh tokens from an address. */
    private static final String REFRESH_TOKEN_KEY = "";

    public Outcome grant(Request request, Form form) {
        String caller = callerAddress.of(request.peer(), request.forwardedFor());
        String service;
        List<Scope> scopes;
        try {
            service = service(request.service());
            scopes = scopes(request.scopes());
            if (form.clientId() == null
                    || form.clientId().isBlank()
                    || form.clientId().length() > 255) {
                throw new OAuthError(
                        "invalid_request", "client_id: the client's name (1 to 255 characters) is required");
            }
            if (!"password".equals(form.grantType()) && !"refresh_token".equals(form.grantType())) {
                throw new OAuthError(
                        "unsupported_grant_type",
                        "grant_type: 'password' or 'refresh_token', not '" + abbreviated(form.grantType()) + "'");
            }
            if ("password".equals(form.grantType()) && (blank(form.username()) || form.password() == null)) {
                throw new OAuthError("invalid_request", "grant_type=password needs username and password");
            }
            if ("refresh_token".equals(form.grantType()) && blank(form.refreshToken())) {
                throw new OAuthError("invalid_request", "grant_type=refresh_token needs refresh_token");
            }
        } catch (InvalidRequestException e) {
            record(request, form.username(), null, 400, e.getMessage(), caller, defaultService);
            throw e;
        }
        Instant now = clock.instant();
        Account account;
        if ("password".equals(form.grantType())) {
            Authentication authentication =
                    authenticate(new Credentials(form.username(), form.password()), caller, now);
            if (authentication.refused() != null) {
                Refused refused = authentication.refused();
                record(request, form.username(), null, refused.status(), refused.detail(), caller, service);
                return refused;
            }
            account = authentication.account();
        } else {
            Authentication authentication = redeem(form.refreshToken(), caller);
            if (authentication.refused() != null) {
                Refused refused = authentication.refused();
                record(request, null, null, refused.status(), refused.detail(), caller, service);
                if (refused.status() == 400) {
                    throw new OAuthError("invalid_grant", refused.detail());
                }
                return refused;
            }
            account = authentication.account();
        }
        String refreshToken =
                "offline".equals(form.accessType()) ? refreshTokens.issue(account.name(), form.clientId()) : null;
        return issue(request, account, service, scopes, caller, refreshToken);
    }

    /**
     * The account a refresh token stands for. Tokens cannot be guessed (256 random bits), but a
     * wrong one counts against the address as a wrong password would, so that nobody can fill the
     * login events with them.
     */
    private Authentication redeem(String token, String caller) {
        long wait = begin(REFRESH_TOKEN_KEY, caller);
        if (wait == LoginThrottle.BUSY) {
            return refused("other logins from this address are being checked; try again in 1 s", 1);
        }
        if (wait > 0) {
            throttle.failed(REFRESH_TOKEN_KEY, caller, clock.instant(), false);
            return refused("too many failed logins from this address; try again in " + wait + " s", wait);
        }
        Optional<Account> account = refreshTokens.find(token).flatMap(t -> accounts.account(t.getUserName()));
        if (account.isEmpty()) {
            throttle.failed(REFRESH_TOKEN_KEY, caller, clock.instant(), true);
            return new Authentication(
                    null,
                    new Refused(
                            400,
                            "the refresh token is unknown, expired or revoked (a new password or a sign-out ends it); "
                                    + "sign in with the password again",
                            0));
        }
        throttle.succeeded(REFRESH_TOKEN_KEY, caller, clock.instant());
        return new Authentication(account.get(), null);
    }

    /** Grants what the rules allow, signs it, and records the login. */
    private Issued issue(
            Request request, Account account, String service, List<Scope> scopes, String caller, String refreshToken) {
        AccessRules.Decision decision = AccessRules.decide(account, accounts.realm(), scopes);
        TokenIssuer.IssuedToken token = issuer.issue(
                account.name(),
                account.role() == null ? List.of() : List.of(account.role()),
                service,
                decision.access());
        boolean all = decision.denied().isEmpty();
        // each denied scope once, however often the request asked for it
        String denied = String.join(" ", decision.denied().stream().distinct().toList());
        record(
                request,
                account.name(),
                token.jwtId(),
                all ? 200 : 403,
                all ? null : "not granted: " + denied,
                caller,
                service);
        return new Issued(token, refreshToken);
    }

    private static List<Scope> scopes(List<String> requested) {
        return requested.stream()
                .flatMap(s -> List.of(s.split(" ")).stream())
                .filter(s -> !s.isBlank())
                .map(Scope::parse)
                .toList();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String abbreviated(String value) {
        return value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    /** The account, or why there is none. */
    private record Authentication(Account account, Refused refused) {}

    /**
     * Checks a password within the limits: at most {@code concurrent-checks} checks at once for all
     * callers, and the brute-force throttle per account and address.
     */
    private Authentication authenticate(Credentials credentials, String caller, Instant now) {
        String name = credentials.name();
        long wait = begin(name, caller);
        if (wait == LoginThrottle.BUSY) {
            return refused("other logins of this account or address are being checked; try again in 1 s", 1);
        }
        if (wait > 0) {
            throttle.failed(name, caller, now, false);
            return refused(
                    "too many failed logins for this account from this address, or from this address; try "
                            + "again in " + wait + " s",
                    wait);
        }
        if (!acquireCheck()) {
            throttle.cancel(name, caller, clock.instant());
            return refused("the token service is checking as many passwords as it may at once; try again in 1 s", 1);
        }
        Optional<Account> authenticated = Optional.empty();
        try {
            authenticated = users.authenticate(name, credentials.password());
        } finally {
            passwordChecks.release();
            if (authenticated.isPresent()) {
                throttle.succeeded(name, caller, clock.instant());
            } else {
                throttle.failed(name, caller, clock.instant(), true);
            }
        }
        return authenticated
                .map(a -> new Authentication(a, null))
                .orElseGet(() -> new Authentication(null, new Refused(401, "wrong user name or password", 0)));
    }

    private static Authentication refused(String detail, long retryAfter) {
        return new Authentication(null, new Refused(429, detail, retryAfter));
    }

    /**
     * The throttle's answer, waiting up to 2 s while other checks of the same pair or address are
     * under way: a client that asks for several tokens at once with the right password (notary,
     * docker pulling in parallel) gets them, and parallel guesses still get no more checks than
     * the slow-down allows.
     */
    private long begin(String name, String caller) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            long wait = throttle.begin(name, caller, clock.instant());
            if (wait != LoginThrottle.BUSY) {
                return wait;
            }
            if (System.nanoTime() > deadline) {
                return LoginThrottle.BUSY;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return LoginThrottle.BUSY;
            }
        }
    }

    private boolean acquireCheck() {
        try {
            return passwordChecks.tryAcquire(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String service(String requested) {
        String service = requested == null || requested.isBlank() ? defaultService : requested;
        if (!services.contains(service)) {
            throw new InvalidRequestException("this token service does not issue tokens for service '" + service
                    + "'; mp.jwt.verify.audiences lists the services it does");
        }
        return service;
    }

    private void record(
            Request request, String identity, String jwtId, int status, String detail, String caller, String service) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long durationMs = (System.nanoTime() - request.startNanos()) / 1_000_000;
        String description = detail == null ? String.valueOf(status) : status + ": " + detail;
        events.store(
                List.of(),
                List.of(new LoginEventRecord(
                        jwtId != null ? jwtId : UUID.randomUUID().toString(),
                        now,
                        now,
                        service,
                        OPERATION,
                        identity == null ? UserDirectory.ANONYMOUS : identity,
                        jwtId,
                        String.valueOf(status),
                        description,
                        caller,
                        request.userAgent(),
                        durationMs,
                        request.correlationId(),
                        null,
                        null)));
    }

    /** HTTP Basic credentials; null without an Authorization header (an anonymous request). */
    record Credentials(String name, String password) {

        static Credentials of(String authorization) {
            if (authorization == null || authorization.isBlank()) {
                return null;
            }
            String decoded = decode(authorization);
            int colon = decoded == null ? -1 : decoded.indexOf(':');
            if (colon <= 0) {
                throw new InvalidRequestException("the Authorization header must be HTTP Basic with a user name "
                        + "and a password, or absent for anonymous access");
            }
            return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }

        private static String decode(String authorization) {
            if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            try {
                return new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "Credentials[" + name + "]";
        }
    }
}
