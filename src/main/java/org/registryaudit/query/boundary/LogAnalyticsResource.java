package org.registryaudit.query.boundary;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.problems.boundary.AzureErrors;
import org.registryaudit.problems.boundary.InvalidRequestException;
import org.registryaudit.query.control.QueryBounds;
import org.registryaudit.query.control.QueryRunner;
import org.registryaudit.query.control.QuerySlots;
import org.registryaudit.query.entity.QueryResult;

/**
 * Azure Monitor's Log Analytics query API at its own paths, so that its clients (the Azure SDKs,
 * {@code az monitor log-analytics query}, scripts) run unchanged with the endpoint pointed here:
 * {@code POST /v1/workspaces/{id}/query} with {@code {"query", "timespan", "workspaces"}}, the same
 * as {@code GET} with parameters, and the resource-centric {@code /v1/{resourceId}/query} of one
 * registry. The {@code Prefer} header's {@code wait}, {@code include-statistics} and
 * {@code include-render} are taken; errors come in Azure's shape. A bearer token of the token
 * service authenticates, and the caller's access rules hold as on {@code /api/query}.
 */
@Path("v1")
@RequestScoped
@RolesAllowed({AuditApplication.ADMIN, AuditApplication.AUDITOR})
@AzureErrors.Shape
public class LogAnalyticsResource {

    /** The request body; {@code workspaces}: more workspaces whose data the query reads as well. */
    public record QueryBody(String query, String timespan, List<String> workspaces) {}

    /**
     * The answer: the tables, the statistics when {@code Prefer: include-statistics=true} asked, and
     * the query's render when {@code include-render=true} did.
     */
    @JsonbPropertyOrder({"tables", "statistics", "render"})
    public record Answer(List<QueryResult.Table> tables, JsonObject statistics, QueryResult.Render render) {}

    @Inject
    QueryRunner runner;

    @Inject
    Visibility visibility;

    @Inject
    QuerySlots slots;

    @Inject
    JsonWebToken caller;

    @Inject
    Workspaces workspaces;

    @Inject
    Clock clock;

    @POST
    @Path("workspaces/{workspaceId}/query")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log Analytics: run a query in a workspace (Azure's API)")
    public Response workspace(
            @PathParam("workspaceId") String workspaceId, QueryBody body, @HeaderParam("Prefer") String prefer) {
        QueryBody request = required(body);
        Set<String> servers = servers(workspaceId, request.workspaces());
        return answer(request.query(), request.timespan(), servers, prefer);
    }

    @GET
    @Path("workspaces/{workspaceId}/query")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log Analytics: run a query in a workspace, as parameters (Azure's API)")
    public Response workspace(
            @PathParam("workspaceId") String workspaceId,
            @QueryParam("query") String query,
            @QueryParam("timespan") String timespan,
            @HeaderParam("Prefer") String prefer) {
        return answer(query, timespan, servers(workspaceId, List.of()), prefer);
    }

    @POST
    @Path("{resourceId: subscriptions/.+}/query")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log Analytics: run a query on one registry's resource (Azure's resource-centric API)")
    public Response resource(
            @PathParam("resourceId") String resourceId, QueryBody body, @HeaderParam("Prefer") String prefer) {
        QueryBody request = required(body);
        return answer(request.query(), request.timespan(), resourceServers(resourceId), prefer);
    }

    @GET
    @Path("{resourceId: subscriptions/.+}/query")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log Analytics: run a query on one registry's resource, as parameters")
    public Response resource(
            @PathParam("resourceId") String resourceId,
            @QueryParam("query") String query,
            @QueryParam("timespan") String timespan,
            @HeaderParam("Prefer") String prefer) {
        return answer(query, timespan, resourceServers(resourceId), prefer);
    }

    private static QueryBody required(QueryBody body) {
        if (body == null) {
            throw new InvalidRequestException("the body must be {\"query\": \"<query>\", \"timespan\": \"PT1H\"}");
        }
        return body;
    }

    /** The login servers of the workspace and the others named; null for all. */
    private Set<String> servers(String workspaceId, List<String> more) {
        Set<String> servers = new HashSet<>();
        List<String> ids = new ArrayList<>(List.of(workspaceId));
        if (more != null) {
            ids.addAll(more);
        }
        for (String id : ids) {
            Workspaces.Coverage coverage = workspaces
                    .workspace(String.valueOf(id))
                    .orElseThrow(() -> new NotFoundException(
                            "there is no workspace '" + id + "'; registry-audit.log-analytics.workspaces lists them"));
            if (coverage.loginServers() == null) {
                return null;
            }
            servers.addAll(coverage.loginServers());
        }
        return servers;
    }

    private Set<String> resourceServers(String resourceId) {
        return workspaces
                .resource(resourceId)
                .orElseThrow(() -> new NotFoundException("there is no resource '/" + resourceId
                        + "'; registry-audit.log-analytics.resources lists them"))
                .loginServers();
    }

    private Response answer(String query, String timespan, Set<String> servers, String prefer) {
        if (query == null || query.isBlank()) {
            throw new InvalidRequestException("query: the query to run is required");
        }
        Preferences preferences = Preferences.of(prefer);
        QueryBounds bounds =
                QueryBounds.timespan(timespan, clock.instant()).within(servers).waiting(preferences.waitSeconds());
        long started = System.nanoTime();
        QueryResult result;
        try (QuerySlots.Slot slot = slots.take(caller.getName())) {
            result = runner.run(query, visibility, bounds);
        }
        JsonObject statistics = null;
        if (preferences.statistics()) {
            statistics = Json.createObjectBuilder()
                    .add(
                            "query",
                            Json.createObjectBuilder()
                                    .add("executionTime", (System.nanoTime() - started) / 1e9)
                                    .add(
                                            "datasetStatistics",
                                            Json.createArrayBuilder()
                                                    .add(Json.createObjectBuilder()
                                                            .add(
                                                                    "tableRowCount",
                                                                    result.tables()
                                                                            .get(0)
                                                                            .rows()
                                                                            .size()))))
                    .build();
        }
        Response.ResponseBuilder response =
                Response.ok(new Answer(result.tables(), statistics, preferences.render() ? result.render() : null));
        if (!preferences.applied().isEmpty()) {
            response.header("Preference-Applied", String.join(",", preferences.applied()));
        }
        return response.build();
    }

    /**
     * The {@code Prefer} header (RFC 7240) as the Log Analytics API reads it.
     */
    record Preferences(int waitSeconds, boolean statistics, boolean render, List<String> applied) {

        static Preferences of(String header) {
            int wait = 0;
            boolean statistics = false;
            boolean render = false;
            List<String> applied = new ArrayList<>();
            for (String preference : header == null ? new String[0] : header.split(",")) {
                String p = preference.trim();
                if (p.matches("wait=\\d{1,6}")) {
                    wait = Integer.parseInt(p.substring(5));
                    applied.add(p);
                } else if (p.equalsIgnoreCase("include-statistics=true")) {
                    statistics = true;
                    applied.add(p);
                } else if (p.equalsIgnoreCase("include-render=true")) {
                    render = true;
                    applied.add(p);
                }
            }
            return new Preferences(wait, statistics, render, List.copyOf(applied));
        }
    }
}
