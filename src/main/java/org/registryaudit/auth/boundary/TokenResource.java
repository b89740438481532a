package org.registryaudit.auth.boundary;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.auth.control.TokenAuthority;
import org.registryaudit.auth.control.TokenAuthority.Issued;
import org.registryaudit.auth.control.TokenAuthority.Refused;
import org.registryaudit.auth.control.TokenKeys;
import org.registryaudit.problems.boundary.Problems;

/**
 * The token endpoint of the Docker registry token protocol, which a registry with
 * {@code auth: token} names as its realm, and the certificate that registry trusts. Open to
 * everyone: the endpoint authenticates by itself (HTTP Basic, or anonymous).
 */
@Path("auth")
@RequestScoped
@PermitAll
public class TokenResource {

    static final String PEM = "application/x-pem-file";

    @Inject
    TokenAuthority authority;

    @Context
    HttpServletRequest http;

    public record TokenResponse(String token, String access_token, long expires_in, String issued_at) {}

    @GET
    @Path("token")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Issue a token (Docker registry token protocol); HTTP Basic or anonymous",
            description = "Always answers with a token for valid credentials, holding only the access granted. "
                    + "Every request, refused ones included, is recorded as a login event.")
    public Response token(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("service") String service,
            @QueryParam("scope") List<String> scopes,
            @HeaderParam("X-Forwarded-For") String forwardedFor,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @HeaderParam("X-Request-Id") String requestId) {
        long start = System.nanoTime();
        TokenAuthority.Outcome outcome = authority.request(new TokenAuthority.Request(
                authorization, service, scopes, http.getRemoteAddr(), forwardedFor, userAgent, requestId, start));
        if (outcome instanceof Issued issued) {
            var token = issued.token();
            return Response.ok(new TokenResponse(
                            token.token(),
                            token.token(),
                            token.expiresIn(),
                            token.issuedAt().toString()))
                    .header("Cache-Control", "no-store")
                    .build();
        }
        Refused refused = (Refused) outcome;
        Response.ResponseBuilder problem =
                Problems.problem(Response.Status.fromStatusCode(refused.status()), refused.detail());
        if (refused.status() == 401) {
            problem.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"registry-audit\"");
        }
        if (refused.retryAfterSeconds() > 0) {
            problem.header(HttpHeaders.RETRY_AFTER, refused.retryAfterSeconds());
        }
        return problem.build();
    }

    @GET
    @Path("certificate")
    @Produces(PEM)
    @Operation(
            summary =
                    "The certificates of the trusted token signing keys, current first, PEM, for a registry's rootcertbundle")
    public String certificate() {
        return TokenKeys.certificateBundle();
    }
}
