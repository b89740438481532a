package org.registryaudit.archive.boundary;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.archive.control.ArchiveDirectory;
import org.registryaudit.archive.control.ArchiveLedger;
import org.registryaudit.archive.control.ArchiveProgress;
import org.registryaudit.archive.control.ArchiveRun;
import org.registryaudit.archive.control.ArchiveVerification;
import org.registryaudit.archive.control.DigestSigner;

/** The archive: progress, a run on demand, verification of the digest chain, the public key. */
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
        if (run.isRunning()) {
            return Response.status(Response.Status.CONFLICT).type("application/problem+json")
                    .entity("{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,"
                            + "\"detail\":\"an archive run is already under way on this server\"}").build();
        }
        executor.submit(run::run);
        return Response.accepted(progress.status()).header("Location", "/api/archive").build();
    }

    /** What verification found, with the database's own record of the digests and pending files. */
    public record Verification(boolean ok, int digests, int files, long records, List<String> problems,
            List<String> pending) {
    }

    @GET
    @Path("verification")
    @Operation(summary = "Walk the digest chain and check every archived file; names each problem")
    public Verification verify() throws IOException {
        ArchiveVerification.Report report = ArchiveVerification.verify(directory.root(), digests.publicKey(),
                ledger.pendingPaths(digests.period()));
        List<String> problems = new ArrayList<>(report.problems());
        for (String digest : ledger.digestPaths()) {
            if (!Files.exists(directory.root().resolve(digest))) {
                String problem = "digest " + digest + " is missing";
                if (problems.stream().noneMatch(p -> p.startsWith(problem))) {
                    problems.add(problem + " (the database records it)");
                }
            }
        }
        return new Verification(problems.isEmpty(), report.digests(), report.files(), report.records(),
                List.copyOf(problems), report.pending());
    }

    @GET
    @Path("public-key")
    @Produces("application/x-pem-file")
    @Operation(summary = "The public key that verifies the digests (PEM)")
    public String publicKey() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(digests.publicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }
}
