package org.registryaudit.query.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.problems.boundary.InvalidRequestException;
import org.registryaudit.query.control.QueryRunner;
import org.registryaudit.query.control.QuerySlots;
import org.registryaudit.query.entity.QueryResult;

/** Log queries in a Kusto subset, answered in the Log Analytics API shape. */
@Path("api/query")
@RequestScoped
@RolesAllowed({AuditApplication.ADMIN, AuditApplication.AUDITOR})
public class QueryResource {

    /** The request body of the Log Analytics query API. */
    public record QueryRequest(@JsonbProperty("query") String query) {}

    @Inject
    QueryRunner runner;

    @Inject
    Visibility visibility;

    @Inject
    QuerySlots slots;

    @Inject
    JsonWebToken caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Run a query such as ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1d)",
            description = "Tables: ContainerRegistryRepositoryEvents, ContainerRegistryLoginEvents, AzureMetrics, "
                    + "TrustChanges. A syntax error is a 400 whose detail names the line and column.")
    public QueryResult query(QueryRequest request) {
        if (request == null || request.query() == null) {
            throw new InvalidRequestException("the body must be {\"query\": \"<query>\"}");
        }
        try (QuerySlots.Slot slot = slots.take(caller.getName())) {
            return runner.run(request.query(), visibility);
        }
    }
}
