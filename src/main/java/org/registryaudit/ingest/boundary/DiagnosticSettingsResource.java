package org.registryaudit.ingest.boundary;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.AuditApplication;
import org.registryaudit.ingest.control.DiagnosticSettings;
import org.registryaudit.ingest.entity.SettingRecord;
import org.registryaudit.problems.boundary.InvalidRequestException;

/** Diagnostic settings per login server ({@code *}: the default) and category. */
@Path("api/diagnostic-settings")
@RequestScoped
@RolesAllowed(AuditApplication.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class DiagnosticSettingsResource {

    @Inject
    DiagnosticSettings settings;

    /** What PUT takes: the login server and category come from the path. */
    public record Change(Boolean collect, Boolean archive, Integer retentionDays, List<String> streamTo) {}

    @GET
    @Operation(summary = "Every setting: per login server and category, and the defaults (loginServer *)")
    public List<SettingRecord> list() {
        return settings.list();
    }

    @PUT
    @Path("{loginServer}/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Set collect, archive, retentionDays and streamTo of one category of one login server (* for all)")
    public SettingRecord put(
            @PathParam("loginServer") String loginServer, @PathParam("category") String category, Change change) {
        if (change == null || change.collect() == null || change.archive() == null || change.retentionDays() == null) {
            throw new InvalidRequestException("the body needs collect (true/false), archive (true/false) and "
                    + "retentionDays (1 to 36500), and may name destinations in streamTo ([\"siem\"])");
        }
        return settings.save(
                loginServer,
                category,
                new SettingRecord(
                        loginServer,
                        category,
                        change.collect(),
                        change.archive(),
                        change.retentionDays(),
                        change.streamTo()));
    }

    @DELETE
    @Path("{loginServer}/{category}")
    @Operation(summary = "Remove a setting: the login server falls back to * and then to the configured default")
    public void delete(@PathParam("loginServer") String loginServer, @PathParam("category") String category) {
        settings.delete(loginServer, category);
    }
}
