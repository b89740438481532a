package org.registryaudit.ingest.boundary;

import java.time.Instant;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.events.control.Cursor;
import org.registryaudit.events.control.EventQuery;
import org.registryaudit.events.control.Page;
import org.registryaudit.ingest.entity.RejectedMessage;
import org.registryaudit.ingest.entity.RejectedMessageRecord;
import org.registryaudit.platform.boundary.RequestParams;
import org.registryaudit.platform.entity.Visibility;

/** The dead-letter view: messages (or events of them) that failed parsing or validation, with the reason. */
@Path("api/rejected-messages")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class RejectedMessagesResource {

    @Inject
    EventQuery query;

    @PersistenceContext
    EntityManager em;

    @GET
    @Operation(summary = "Rejected messages, newest first, without their bodies")
    public Page<RejectedMessageRecord> list(
            @QueryParam("source") String source,
            @QueryParam("from") Instant start,
            @QueryParam("to") Instant end,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") RequestParams.PageLimit limit) {
        RequestParams.range(start, end);
        Map<String, Object> equal = source == null || source.isEmpty() ? Map.of() : Map.of("source", source);
        return query.page(
                RejectedMessage.class,
                "receivedAt",
                equal,
                Visibility.EVERYTHING,
                start,
                end,
                Cursor.decode(cursor),
                RequestParams.PageLimit.of(limit),
                RejectedMessage::getReceivedAt,
                RejectedMessage::getId,
                RejectedMessageRecord::summary);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One rejected message with its raw body")
    public RejectedMessageRecord get(@PathParam("id") long id) {
        RejectedMessage message = em.find(RejectedMessage.class, id);
        if (message == null) {
            throw new NotFoundException("no rejected message has id " + id);
        }
        return RejectedMessageRecord.full(message);
    }
}
