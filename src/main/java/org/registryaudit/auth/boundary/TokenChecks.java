package org.registryaudit.auth.boundary;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.registryaudit.auth.control.AccessRules.Account;
import org.registryaudit.auth.control.CurrentAccounts;
import org.registryaudit.auth.control.TokenKeys;
import org.registryaudit.auth.control.UserDirectory;
import org.registryaudit.problems.boundary.Problems;

/**
 * The checks of a token that MicroProfile JWT leaves to us. The roles in a token are only what
 * the user held when it was issued: a token whose user no longer exists, or whose role the user no
 * longer has, is refused here at once (within a second on another server, {@link CurrentAccounts}),
 * not when it expires; otherwise a demoted or deleted admin kept full powers for the token's life.
 * Payara's implementation ignores
 * {@code nbf}: a token still in its future (beyond the 60 s leeway docker-registry also allows) is
 * refused here. And while one key is trusted it verifies with that key as PEM, which names no key
 * id: a token whose {@code kid} is not one of the trusted keys' is refused here.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
@ApplicationScoped
public class TokenChecks implements ContainerRequestFilter {

    static final long LEEWAY_SECONDS = 60;
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Clock clock;

    @Inject
    CurrentAccounts accounts;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        Object notBefore = token.getClaim(Claims.nbf.name());
        long nbf = notBefore instanceof Number n
                ? n.longValue()
                : notBefore instanceof jakarta.json.JsonNumber j ? j.longValue() : Long.MIN_VALUE;
        if (nbf > clock.instant().getEpochSecond() + LEEWAY_SECONDS) {
            refuse(request, "the token is not valid yet");
            return;
        }
        String kid = kid(token.getRawToken());
        if (kid != null && !TokenKeys.trusts(kid)) {
            refuse(request, "the token's key id is not one of the trusted signing keys");
            return;
        }
        String stale = staleRoles(token.getName(), token.getGroups());
        if (stale != null) {
            refuse(request, stale);
        }
    }

    /** Why the token's roles are no longer the user's, or null while they are. */
    String staleRoles(String user, Set<String> roles) {
        if (user == null || UserDirectory.ANONYMOUS.equals(user)) {
            return roles == null || roles.isEmpty() ? null : "an anonymous token holds no role";
        }
        Optional<Account> account = accounts.account(user);
        if (account.isEmpty()) {
            return "the token's user no longer exists";
        }
        for (String role : roles == null ? Set.<String>of() : roles) {
            if (!role.equals(account.get().role())) {
                return "the token's role " + role + " is no longer the user's; request a new token";
            }
        }
        return null;
    }

    /** The {@code kid} of the token's header, or null when it names none. */
    static String kid(String rawToken) {
        int dot = rawToken == null ? -1 : rawToken.indexOf('.');
        if (dot < 0) {
            return null;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(
                new String(Base64.getUrlDecoder().decode(rawToken.substring(0, dot)), StandardCharsets.UTF_8)))) {
            JsonObject header = reader.readObject();
            return header.getString("kid", null);
        } catch (IllegalArgumentException | JsonException | ClassCastException e) {
            return null; // MicroProfile JWT has read this header already; it cannot be malformed here
        }
    }

    private static void refuse(ContainerRequestContext request, String detail) {
        request.abortWith(Problems.problem(Response.Status.UNAUTHORIZED, detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .build());
    }
}
