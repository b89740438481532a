package org.registryaudit.streaming.boundary;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.events.control.Cursor;
import org.registryaudit.events.control.EventFilter;
import org.registryaudit.events.control.EventQuery;
import org.registryaudit.events.entity.LoginEvent;
import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.streaming.control.LiveTail;

/**
 * Live tails of the event tables as Server-Sent Events: every event that arrives from now on (or
 * after {@code Last-Event-ID}), with the read API's filters and access rules. The stream ends when
 * the token does; reconnect with a new token and the last event id to go on without a gap.
 */
@Path("api/stream")
@RequestScoped
@RolesAllowed({AuditApplication.ADMIN, AuditApplication.AUDITOR})
public class LiveTailResource {

    @Inject
    LiveTail tails;

    @Inject
    EventQuery query;

    @Inject
    Visibility visibility;

    @Inject
    JsonWebToken token;

    @GET
    @Path("repository-events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Repository events as they arrive (Server-Sent Events; resume with Last-Event-ID)")
    public void repositoryEvents(
            @Context SseEventSink sink,
            @Context Sse sse,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String lastEventIdParam,
            @QueryParam("loginServer") String loginServer,
            @QueryParam("repository") String repository,
            @QueryParam("operation") String operation,
            @QueryParam("identity") String identity,
            @QueryParam("result") String result) {
        EventFilter filter =
                new EventFilter(loginServer, repository, operation, identity, result, null, null, null, null);
        Visibility caller = visibility;
        open(
                RepositoryEvent.CATEGORY,
                (position, upTo, limit) -> query.repositoryTail(filter, caller, position, upTo, limit),
                lastEventId,
                lastEventIdParam,
                sink,
                sse);
    }

    @GET
    @Path("login-events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Login events as they arrive (Server-Sent Events; resume with Last-Event-ID)")
    public void loginEvents(
            @Context SseEventSink sink,
            @Context Sse sse,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("lastEventId") String lastEventIdParam,
            @QueryParam("loginServer") String loginServer,
            @QueryParam("operation") String operation,
            @QueryParam("identity") String identity,
            @QueryParam("result") String result) {
        EventFilter filter = new EventFilter(loginServer, null, operation, identity, result, null, null, null, null);
        Visibility caller = visibility;
        open(
                LoginEvent.CATEGORY,
                (position, upTo, limit) -> query.loginTail(filter, caller, position, upTo, limit),
                lastEventId,
                lastEventIdParam,
                sink,
                sse);
    }

    /**
     * A tail for the caller until their token expires, from the header (what EventSource sends on
     * a reconnect), else the parameter (for a first connection), else from now.
     */
    private void open(
            String table, LiveTail.Source source, String header, String parameter, SseEventSink sink, Sse sse) {
        Cursor from = Cursor.decode(header != null && !header.isBlank() ? header : parameter);
        tails.open(token.getName(), table, source, from, Instant.ofEpochSecond(token.getExpirationTime()), sink, sse);
    }
}
