package org.registryaudit.events.boundary;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.events.control.Cursor;
import org.registryaudit.events.control.EventFilter;
import org.registryaudit.events.control.EventQuery;
import org.registryaudit.events.control.Page;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.platform.boundary.RequestParams;
import org.registryaudit.platform.entity.Visibility;

/** ContainerRegistryLoginEvents: logins and failed logins, newest first. */
@Path("api/login-events")
@RequestScoped
@RolesAllowed({AuditApplication.ADMIN, AuditApplication.AUDITOR})
@Produces(MediaType.APPLICATION_JSON)
public class LoginEventsResource {

    @Inject
    EventQuery query;

    /** What the caller may see, from the token service's access rules. */
    @Inject
    Visibility visibility;

    @GET
    @Operation(summary = "Login events, newest first, keyset-paged")
    public Page<LoginEventRecord> list(
            @QueryParam("loginServer") String loginServer,
            @QueryParam("operation") String operation,
            @QueryParam("identity") String identity,
            @QueryParam("result") String result,
            @QueryParam("from") Instant start,
            @QueryParam("to") Instant end,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") RequestParams.PageLimit limit) {
        RequestParams.range(start, end);
        EventFilter filter = new EventFilter(loginServer, null, operation, identity, result, null, null, start, end);
        return query.loginEvents(filter, visibility, Cursor.decode(cursor), RequestParams.PageLimit.of(limit));
    }
}
