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
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.platform.boundary.RequestParams;
import org.registryaudit.platform.entity.Visibility;

/** ContainerRegistryRepositoryEvents: pushes, pulls, mounts, deletes and untags, newest first. */
@Path("api/repository-events")
@RequestScoped
@RolesAllowed({AuditApplication.ADMIN, AuditApplication.AUDITOR})
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryEventsResource {

    @Inject
    EventQuery query;

    /** What the caller may see, from the token service's access rules. */
    @Inject
    Visibility visibility;

    @GET
    @Operation(
            summary = "Repository events, newest first, keyset-paged",
            description = "Filters are exact matches; from/to bound TimeGenerated as [from, to). "
                    + "Pass the previous page's 'next' as cursor for the following page.")
    public Page<RepositoryEventRecord> list(
            @QueryParam("loginServer") String loginServer,
            @QueryParam("repository") String repository,
            @QueryParam("operation") String operation,
            @QueryParam("identity") String identity,
            @QueryParam("result") String result,
            @QueryParam("tag") String tag,
            @QueryParam("digest") String digest,
            @QueryParam("from") Instant start,
            @QueryParam("to") Instant end,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") RequestParams.PageLimit limit) {
        RequestParams.range(start, end);
        EventFilter filter =
                new EventFilter(loginServer, repository, operation, identity, result, tag, digest, start, end);
        return query.repositoryEvents(filter, visibility, Cursor.decode(cursor), RequestParams.PageLimit.of(limit));
    }
}
