package org.registryaudit.auth.boundary;

import java.time.Instant;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.registryaudit.problems.boundary.Problems;

/**
 * Refuses a token whose {@code nbf} is still in the future (beyond the 60 s leeway docker-registry
 * also allows). MicroProfile JWT checks signature, issuer, audience and expiry, but Payara's
 * implementation ignores {@code nbf}.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
public class NotBeforeCheck implements ContainerRequestFilter {

    static final long LEEWAY_SECONDS = 60;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        Object notBefore = token.getClaim(Claims.nbf.name());
        long nbf = notBefore instanceof Number n ? n.longValue()
                : notBefore instanceof jakarta.json.JsonNumber j ? j.longValue() : Long.MIN_VALUE;
        if (nbf > Instant.now().getEpochSecond() + LEEWAY_SECONDS) {
            request.abortWith(Problems.problem(Response.Status.UNAUTHORIZED, "the token is not valid yet")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build());
        }
    }
}
