package org.registryaudit.streaming.boundary;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.ingest.entity.SettingRecord;
import org.registryaudit.problems.boundary.InvalidRequestException;
import org.registryaudit.streaming.control.Destinations;
import org.registryaudit.streaming.control.Outbox;
import org.registryaudit.streaming.entity.DestinationRequest;
import org.registryaudit.streaming.entity.DestinationStatus;
import org.registryaudit.streaming.entity.StreamFormat;
import org.registryaudit.streaming.entity.Transport;

/**
 * Stream destinations: where records go as they are stored (a diagnostic setting's
 * {@code streamTo} chooses which records), and how their delivery goes.
 */
@Path("api/stream-destinations")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class StreamDestinationsResource {

    @Inject
    Destinations destinations;

    @Inject
    Outbox outbox;

    @Context
    SecurityContext caller;

    @Inject
    Clock clock;

    /** What PUT takes; the name comes from the path. */
    public record Change(
            Transport transport,
            String address,
            StreamFormat format,
            Integer batchSize,
            Boolean enabled,
            String caCertificates) {}

    @GET
    @Operation(summary = "Every destination with its backlog, lag, failures and last error")
    public List<DestinationStatus> list() {
        return destinations.list();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One destination and how its delivery goes")
    public DestinationStatus get(@PathParam("name") String name) {
        return destinations.get(name).orElseThrow(() -> notFound(name));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create or change a destination: transport, address, format, batchSize, enabled, caCertificates")
    public DestinationStatus put(@PathParam("name") String name, Change change) {
        if (change == null) {
            throw new InvalidRequestException("the body needs transport, address and format");
        }
        return destinations.save(
                name,
                new DestinationRequest(
                        change.transport(),
                        change.address(),
                        change.format(),
                        change.batchSize() == null ? 100 : change.batchSize(),
                        change.enabled() == null || change.enabled(),
                        change.caCertificates() == null
                                        || change.caCertificates().isBlank()
                                ? null
                                : change.caCertificates()));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Remove a destination and its backlog; refused while a diagnostic setting streams to it")
    public void delete(@PathParam("name") String name) {
        List<SettingRecord> users = destinations.namedBy(name);
        if (!users.isEmpty()) {
            throw new ClientErrorException(
                    "diagnostic settings stream to '" + name + "': "
                            + users.stream()
                                    .map(s -> s.loginServer() + "/" + s.category())
                                    .toList()
                            + "; take it out of their streamTo first",
                    Response.Status.CONFLICT);
        }
        if (!destinations.delete(name)) {
            throw notFound(name);
        }
    }

    /**
     * Sends a test record through the outbox like any other: a login event of operation
     * StreamTest that is not stored as an event. The answer names its id; the destination's status
     * shows its delivery.
     */
    @POST
    @Path("{name}/test")
    @Operation(summary = "Send a test record to the destination")
    public Response test(@PathParam("name") String name) {
        if (!destinations.exists(name)) {
            throw notFound(name);
        }
        Instant now = clock.instant();
        String id = outbox.writeTest(
                name,
                new LoginEventRecord(
                        "stream-test-" + UUID.randomUUID(),
                        now,
                        now,
                        "registry-audit",
                        "StreamTest",
                        caller.getUserPrincipal().getName(),
                        null,
                        "200",
                        "A test record sent through POST /api/stream-destinations/" + name
                                + "/test; not stored as an event",
                        null,
                        null,
                        null,
                        null,
                        null,
                        LoginEvent.CATEGORY));
        return Response.accepted(Map.of("recordId", id)).build();
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("no stream destination '" + name + "'");
    }
}
