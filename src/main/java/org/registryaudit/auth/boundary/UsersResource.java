package org.registryaudit.auth.boundary;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.auth.control.UserDirectory;
import org.registryaudit.auth.entity.UserRecord;
import org.registryaudit.auth.entity.UserRequest;

/** Users of the token service, their roles and grants: admins only. */
@Path("api/users")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    UserDirectory users;

    @GET
    @Operation(summary = "Every user with role and grants (never a password or its hash)")
    public List<UserRecord> list() {
        return users.list();
    }

    @GET
    @Path("{name}")
    public UserRecord get(@PathParam("name") String name) {
        return users.find(name).orElseThrow(() -> new NotFoundException("there is no user '" + name + "'"));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create a user (201) or replace its role and grants (200)",
            description = "The password is required for a new user and kept when left out of an update.")
    public Response put(@PathParam("name") String name, @Valid @NotNull UserRequest request) {
        UserDirectory.Saved saved = users.save(name, request);
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(saved.user())
                .build();
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a user; the last admin cannot be deleted (409)")
    public Response delete(@PathParam("name") String name) {
        users.delete(name);
        return Response.noContent().build();
    }
}
