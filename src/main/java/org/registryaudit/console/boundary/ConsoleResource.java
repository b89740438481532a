package org.registryaudit.console.boundary;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The browser console: static ES modules, a style sheet and one HTML page in the WAR's
 * {@code WEB-INF/console} folder (src/main/webapp/WEB-INF/console, no build step), served only
 * here: the API takes every path of the application (its {@code @ApplicationPath} is the root),
 * and under WEB-INF no server's own static-file or welcome-file handling (Undertow's answered
 * {@code /console/} with a redirect) comes between. Open to
 * everyone: the files hold no data, everything comes from the API with the bearer token the
 * console keeps in session storage. A strict Content-Security-Policy allows scripts, styles and
 * API calls from this origin only, nothing inline and no framing.
 */
@Path("console")
@ApplicationScoped
@PermitAll
public class ConsoleResource {

    static final String FOLDER = "/WEB-INF/console/";

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    @Context
    ServletContext servlet;

    @GET
    @Operation(summary = "The browser console: /console and /console/ redirect to /console/index.html")
    public Response index(@Context UriInfo uri) {
        // one address for the page, whatever a server does with a trailing slash (WildFly's answers
        // /console/ with a redirect to /console): its relative links (app.js, ../api/…) resolve there
        return Response.seeOther(
                        uri.getBaseUriBuilder().path("console/index.html").build())
                .build();
    }

    @GET
    @Path("{file: .+}")
    @Operation(summary = "A file of the browser console (ES module, style sheet)")
    public Response file(@PathParam("file") String file) {
        String normalized = java.nio.file.Path.of(FOLDER, file).normalize().toString();
        int dot = file.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
        InputStream content = type == null || !normalized.startsWith(FOLDER) || file.contains("\\")
                ? null
                : servlet.getResourceAsStream(normalized);
        if (content == null) {
            throw new NotFoundException("the console has no file '" + file + "'");
        }
        return Response.ok(content, type)
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-cache")
                .build();
    }
}
