package org.registryaudit.auth.boundary;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.auth.control.Administrator;
import org.registryaudit.auth.control.Scope;
import org.registryaudit.auth.control.TokenIssuer;

/**
 * The token endpoint in the Docker registry token format. For now only the configured
 * administrator gets a token (with every requested scope granted); users and grants come with the
 * token service.
 */
@Path("auth/token")
@RequestScoped
@PermitAll
public class TokenResource {

    @Inject
    Administrator administrator;

    @Inject
    TokenIssuer issuer;

    @Inject
    @ConfigProperty(name = "registry-audit.token.service", defaultValue = "registry-audit")
    String defaultService;

    public record TokenResponse(String token, String access_token, long expires_in, String issued_at) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a token (Docker registry token protocol), Basic authentication")
    public TokenResponse token(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("service") String service, @QueryParam("scope") List<String> scopes) {
        List<Scope> requested = scopes.stream().flatMap(s -> List.of(s.split(" ")).stream())
                .filter(s -> !s.isBlank()).map(Scope::parse).toList();
        String user = administrator.authenticate(authorization).orElseThrow(() -> new NotAuthorizedException(
                "a valid user name and password are required (HTTP Basic authentication)",
                "Basic realm=\"registry-audit\""));
        List<Map<String, Object>> access = requested.stream().map(s -> s.claim(s.actions())).toList();
        TokenIssuer.IssuedToken token = issuer.issue(user, List.of(AuditApplication.ADMIN),
                service == null || service.isBlank() ? defaultService : service, access);
        return new TokenResponse(token.token(), token.token(), token.expiresIn(), token.issuedAt().toString());
    }
}
