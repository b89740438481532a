package org.registryaudit.auth.boundary;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.auth.control.TokenKeys;

/** Rotation of the token signing key without downtime: prepare the next key, promote it, retire the old one. */
@Path("api/token-keys")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class TokenKeysResource {

    @GET
    @Operation(summary = "The signing keys: current, next (trusted, not yet signing) and previous (still trusted)")
    public List<TokenKeys.KeyInfo> list() {
        return TokenKeys.describe();
    }

    @POST
    @Path("next")
    @Operation(summary = "Prepare the next key: trusted at once, signing only once promoted (201; 409 if prepared)")
    public Response prepareNext() {
        if (!TokenKeys.prepareNext()) {
            throw new ClientErrorException(
                    "a next key is already prepared; promote it first", Response.Status.CONFLICT);
        }
        return Response.status(Response.Status.CREATED)
                .entity(TokenKeys.describe())
                .build();
    }

    @POST
    @Path("promotion")
    @Operation(summary = "Make the next key current; the old one stays trusted as previous (409 without a next key)")
    public List<TokenKeys.KeyInfo> promote() {
        if (!TokenKeys.promoteNext()) {
            throw new ClientErrorException(
                    "there is no next key; prepare one with POST /api/token-keys/next", Response.Status.CONFLICT);
        }
        return TokenKeys.describe();
    }

    @DELETE
    @Path("previous")
    @Operation(summary = "Stop trusting the previous key at once")
    public Response retirePrevious() {
        if (!TokenKeys.retirePrevious()) {
            throw new NotFoundException("there is no previous key");
        }
        return Response.noContent().build();
    }
}
