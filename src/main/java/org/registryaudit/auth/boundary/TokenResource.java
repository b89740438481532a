package org.registryaudit.auth.boundary;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.auth.control.RefreshTokens;
import org.registryaudit.auth.control.TokenAuthority;
import org.registryaudit.auth.control.TokenAuthority.Issued;
import org.registryaudit.auth.control.TokenAuthority.OAuthError;
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

    @Inject
    RefreshTokens refreshTokens;

    /** The token protocol's answer; {@code refresh_token} only when one was asked for (JSON-B leaves nulls out). */
    public record TokenResponse(
            String token, String access_token, long expires_in, String issued_at, String refresh_token) {}

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
        return answer(outcome);
    }

    @POST
    @Path("token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Issue a token (the token protocol's OAuth2 form): a password or a refresh token",
            description = "grant_type=password with username and password, or grant_type=refresh_token with "
                    + "refresh_token; client_id names the client; access_type=offline asks for a refresh token as "
                    + "well, which later requests use instead of the password. Recorded as a login event like GET.")
    public Response grant(
            @FormParam("grant_type") String grantType,
            @FormParam("service") String service,
            @FormParam("scope") List<String> scopes,
            @FormParam("client_id") String clientId,
            @FormParam("access_type") String accessType,
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam("refresh_token") String refreshToken,
            @HeaderParam("X-Forwarded-For") String forwardedFor,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @HeaderParam("X-Request-Id") String requestId) {
        long start = System.nanoTime();
        try {
            return answer(authority.grant(
                    new TokenAuthority.Request(
                            null, service, scopes, http.getRemoteAddr(), forwardedFor, userAgent, requestId, start),
                    new TokenAuthority.Form(grantType, clientId, accessType, username, password, refreshToken)));
        } catch (OAuthError e) {
            return Problems.problem(Response.Status.BAD_REQUEST, e.getMessage(), "error", e.error())
                    .build();
        }
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(
            summary = "End a refresh token (RFC 7009); a sign-out",
            description = "Answers 200 whether or not the token was known, as RFC 7009 says.")
    public Response revoke(@FormParam("token") String token) {
        refreshTokens.revoke(token);
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    private static Response answer(TokenAuthority.Outcome outcome) {
        if (outcome instanceof Issued issued) {
            var token = issued.token();
            return Response.ok(new TokenResponse(
                            token.token(),
                            token.token(),
                            token.expiresIn(),
                            token.issuedAt().toString(),
                            issued.refreshToken()))
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
