package org.registryaudit.auth.boundary;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.auth.control.UserDirectory;
import org.registryaudit.auth.entity.RepositoryPatterns;
import org.registryaudit.problems.boundary.InvalidRequestException;

/** Repository name patterns that anyone, anonymous callers included, may pull: admins only. */
@Path("api/public-repositories")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class PublicRepositoriesResource {

    @Inject
    UserDirectory users;

    @GET
    public List<String> list() {
        return users.publicPatterns();
    }

    @PUT
    @Path("{pattern: .+}")
    @Operation(summary = "Make the repositories matching a pattern public (201, or 204 if they already were)")
    public Response add(@PathParam("pattern") String pattern) {
        return users.makePublic(check(pattern))
                ? Response.status(Response.Status.CREATED).build()
                : Response.noContent().build();
    }

    @DELETE
    @Path("{pattern: .+}")
    public Response remove(@PathParam("pattern") String pattern) {
        users.makePrivate(pattern);
        return Response.noContent().build();
    }

    private static String check(String pattern) {
        if (!pattern.matches(RepositoryPatterns.REGEX)) {
            throw new InvalidRequestException("pattern " + RepositoryPatterns.MESSAGE + "; '" + pattern + "' is not");
        }
        return pattern;
    }
}
