package org.registryaudit.changefeed.boundary;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.changefeed.control.NotaryFollower;
import org.registryaudit.changefeed.control.TrustChangeStore;
import org.registryaudit.changefeed.entity.FollowerStatus;

/** The followed Notary servers: cursor, changes stored, lag and last error. */
@Path("api/notary-followers")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class NotaryFollowersResource {

    @Inject
    TrustChangeStore store;

    @Inject
    NotaryFollower follower;

    @GET
    @Operation(summary = "Status of every followed Notary server, configured ones not yet polled included")
    public List<FollowerStatus> list() {
        List<FollowerStatus> known = store.followers();
        Set<String> names = known.stream().map(FollowerStatus::name).collect(Collectors.toSet());
        return Stream.concat(
                        known.stream(),
                        follower.servers().stream()
                                .filter(s -> !names.contains(s.name()))
                                .map(s -> new FollowerStatus(
                                        s.name(), s.url(), "0", 0, null, null, null, null, null, null)))
                .toList();
    }
}
