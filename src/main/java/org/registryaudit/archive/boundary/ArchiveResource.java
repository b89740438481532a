package org.registryaudit.archive.boundary;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.archive.control.ArchiveCategory;
import org.registryaudit.archive.control.ArchiveDirectory;
import org.registryaudit.archive.control.ArchiveLedger;
import org.registryaudit.archive.control.ArchiveProgress;
import org.registryaudit.archive.control.ArchiveRun;
import org.registryaudit.archive.control.ArchiveVerification;
import org.registryaudit.archive.control.DigestSigner;
import org.registryaudit.archive.control.Exporter;
import org.registryaudit.archive.control.Restorer;
import org.registryaudit.platform.boundary.RequestParams;
import org.registryaudit.problems.boundary.InvalidRequestException;
import org.registryaudit.problems.boundary.Problems;

/**
 * The archive: progress, a run on demand, verification of the digest chain, the public key,
 * export of a range, and restores of archived ranges into the query tables.
 */
@Path("api/archive")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveResource {

    @Inject
    ArchiveProgress progress;

    @Inject
    ArchiveRun run;

    @Inject
    ArchiveDirectory directory;

    @Inject
    DigestSigner digests;

    @Inject
    ArchiveLedger ledger;

    @Inject
    Exporter exporter;

    @Inject
    Restorer restorer;

    @Resource
    ManagedExecutorService executor;

    @GET
    @Operation(summary = "Progress of the archive run on this server (running, current bucket, records, files, left)")
    public ArchiveProgress.Status status() {
        return progress.status();
    }

    @POST
    @Path("runs")
    @Operation(summary = "Start an archive run now; 202, then follow GET /api/archive")
    public Response start() {
        if (!run.start(executor)) {
            return Problems.problem(Response.Status.CONFLICT, "an archive run is already under way on this server")
                    .build();
        }
        return Response.accepted(progress.status())
                .header("Location", "/api/archive")
                .build();
    }

    /** What verification found, with the database's own record of the digests and pending files. */
    public record Verification(
            boolean ok, int digests, int files, long records, List<String> problems, List<String> pending) {}

    @GET
    @Path("verification")
    @Operation(summary = "Walk the digest chain and check every archived file; names each problem")
    public Verification verify() throws IOException {
        ArchiveVerification.Report report = ArchiveVerification.verify(
                directory.root(), digests.publicKey(), ledger.pendingPaths(digests.period()));
        List<String> problems = new ArrayList<>(report.problems());
        for (String digest : ledger.digestPaths()) {
            if (!Files.exists(directory.root().resolve(digest))) {
                String problem = "digest " + digest + " is missing";
                if (problems.stream().noneMatch(p -> p.startsWith(problem))) {
                    problems.add(problem + " (the database records it)");
                }
            }
        }
        return new Verification(
                problems.isEmpty(),
                report.digests(),
                report.files(),
                report.records(),
                List.copyOf(problems),
                report.pending());
    }

    @GET
    @Path("export")
    @Produces({"application/x-ndjson", "text/csv"})
    @Operation(
            summary = "Stream one table's records in [from, to) as JSON Lines (format=jsonl, the archive's shape) "
                    + "or CSV (format=csv), oldest first; no size limit")
    public Response export(
            @QueryParam("category") String categoryName,
            @QueryParam("loginServer") String loginServer,
            @QueryParam("from") Instant start,
            @QueryParam("to") Instant end,
            @QueryParam("format") String format) {
        ArchiveCategory category = category(categoryName);
        RequestParams.range(start, end);
        Exporter.Format chosen = switch (format == null ? "jsonl" : format.toLowerCase(java.util.Locale.ROOT)) {
            case "jsonl" -> Exporter.Format.JSONL;
            case "csv" -> Exporter.Format.CSV;
            default -> throw new InvalidRequestException("format must be jsonl or csv, not '" + format + "'");
        };
        StreamingOutput body = out -> {
            try {
                exporter.export(category, loginServer, start, end, chosen, out);
            } catch (java.sql.SQLException e) {
                throw new java.io.IOException("the export failed after it started: " + e.getMessage(), e);
            }
        };
        String file = category.name() + (chosen == Exporter.Format.CSV ? ".csv" : ".jsonl");
        return Response.ok(body, chosen == Exporter.Format.CSV ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .build();
    }

    /** What POST /api/archive/restores takes. */
    public record RestoreRequest(String category, String loginServer, String from, String to) {}

    @POST
    @Path("restores")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Bring the archived records of one category in [from, to) (of one login server, if given) "
                    + "back into the query APIs; restoring again duplicates nothing")
    public Response restore(RestoreRequest request) throws Exception {
        if (request == null) {
            throw new InvalidRequestException("the body needs category, from and to (and may name a loginServer)");
        }
        category(request.category());
        Restorer.RestoreRecord restore = restorer.restore(
                request.category(),
                request.loginServer(),
                RequestParams.time("from", request.from()),
                RequestParams.time("to", request.to()));
        return Response.status(Response.Status.CREATED)
                .entity(restore)
                .header("Location", "/api/archive/restores/" + restore.id())
                .build();
    }

    @GET
    @Path("restores")
    @Operation(summary = "The restores that are in the query tables now")
    public List<Restorer.RestoreRecord> restores() throws java.sql.SQLException {
        return restorer.list();
    }

    @DELETE
    @Path("restores/{id}")
    @Operation(summary = "Drop a restore: its records leave the query tables again (they stay in the archive)")
    public void drop(@PathParam("id") long id) throws Exception {
        if (!restorer.drop(id)) {
            throw new NotFoundException("there is no restore " + id);
        }
    }

    private static ArchiveCategory category(String name) {
        ArchiveCategory category = name == null ? null : ArchiveCategory.named(name);
        if (category == null) {
            throw new InvalidRequestException("category must be one of "
                    + ArchiveCategory.ALL.stream().map(ArchiveCategory::name).toList() + ", not '" + name + "'");
        }
        return category;
    }

    @GET
    @Path("public-key")
    @Produces("application/x-pem-file")
    @Operation(summary = "The public key that verifies the digests (PEM)")
    public String publicKey() {
        return digests.publicKeyPem();
    }
}
