package org.registryaudit.metrics.boundary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
import org.registryaudit.metrics.control.MetricQuery;
import org.registryaudit.metrics.control.TimeGrain;
import org.registryaudit.metrics.entity.MetricName;
import org.registryaudit.metrics.entity.MetricRow;
import org.registryaudit.platform.boundary.RequestParams;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.problems.boundary.InvalidRequestException;

/** AzureMetrics: push, pull and login counts per login server or repository, per minute, hour or day. */
@Path("api/metrics")
@RequestScoped
@RolesAllowed({AuditApplication.ADMIN, AuditApplication.AUDITOR})
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    @Inject
    Clock clock;

    @Inject
    MetricQuery query;

    @Inject
    Visibility visibility;

    @GET
    @Operation(
            summary = "Metric rows in the AzureMetrics shape, oldest first",
            description = "timeGrain PT1M, PT1H (default) or P1D; from/to bound TimeGenerated as [from, to), "
                    + "the last 24 hours by default; metric is a comma-separated list of MetricNames; "
                    + "perRepository=true gives each repository its own rows.")
    public List<MetricRow> list(
            @QueryParam("loginServer") String loginServer,
            @QueryParam("repository") String repository,
            @QueryParam("perRepository") String perRepository,
            @QueryParam("metric") String metric,
            @QueryParam("timeGrain") String timeGrain,
            @QueryParam("from") Instant start,
            @QueryParam("to") Instant end) {
        end = end != null ? end : clock.instant();
        start = start != null ? start : end.minus(Duration.ofDays(1));
        RequestParams.range(start, end);
        return query.rows(
                new MetricQuery.Filter(
                        loginServer,
                        repository,
                        bool("perRepository", perRepository),
                        metrics(metric),
                        TimeGrain.parse(timeGrain),
                        start,
                        end),
                visibility);
    }

    private static boolean bool(String name, String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidRequestException(name + " must be true or false, not '" + value + "'");
    }

    private static List<MetricName> metrics(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .map(name -> Arrays.stream(MetricName.values())
                        .filter(m -> m.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                        .findFirst()
                        .orElseThrow(
                                () -> new InvalidRequestException("metric '" + name + "' is unknown; the metrics are "
                                        + Arrays.stream(MetricName.values())
                                                .map(Enum::name)
                                                .collect(Collectors.joining(", ")))))
                .toList();
    }
}
