package org.registryaudit.problems.boundary;

import java.util.Objects;

import jakarta.ejb.EJBException;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Maps every exception that leaves a resource to application/problem+json, never a stack trace. */
public final class ProblemMappers {

    private static final System.Logger LOG = System.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {}

    @Provider
    public static class InvalidRequest implements ExceptionMapper<InvalidRequestException> {
        @Override
        public Response toResponse(InvalidRequestException e) {
            return Problems.problem(Response.Status.BAD_REQUEST, e.getMessage()).build();
        }
    }

    @Provider
    public static class ConstraintViolations implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            String detail = e.getConstraintViolations().stream()
                    .map(ProblemMappers::describe)
                    .sorted()
                    .reduce((a, b) -> a + "; " + b)
                    .orElse(e.getMessage());
            return Problems.problem(Response.Status.BAD_REQUEST, detail).build();
        }
    }

    @Provider
    public static class Busy implements ExceptionMapper<BusyException> {
        @Override
        public Response toResponse(BusyException e) {
            return Problems.problem(Response.Status.TOO_MANY_REQUESTS, e.getMessage())
                    .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                    .build();
        }
    }

    @Provider
    public static class WebApplication implements ExceptionMapper<WebApplicationException> {

        @Context
        SecurityContext caller;

        @Context
        UriInfo uri;

        @Override
        public Response toResponse(WebApplicationException e) {
            if (e instanceof ForbiddenException && caller != null && caller.getUserPrincipal() == null) {
                // no token at all: 401 with the challenge, as Payara's container answers before any
                // resource runs (RESTEasy on WildFly checks @RolesAllowed itself and says 403)
                return Problems.problem(Response.Status.UNAUTHORIZED, Problems.detailOf(401))
                        .header(
                                HttpHeaders.WWW_AUTHENTICATE,
                                CDI.current()
                                        .select(BearerChallenge.class)
                                        .get()
                                        .header(uri.getBaseUri(), null, null))
                        .build();
            }
            Response original = e.getResponse();
            // JAX-RS' own exceptions (an unknown path, a method not allowed) say only "HTTP 404 Not Found"
            String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP " + original.getStatus())
                    ? Objects.requireNonNullElse(Problems.detailOf(original.getStatus()), e.getMessage())
                    : e.getMessage();
            Response.ResponseBuilder problem = Problems.problem(original.getStatusInfo(), detail);
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type")) {
                    values.forEach(v -> problem.header(name, v));
                }
            });
            return problem.build();
        }
    }

    /** Everything no more specific mapper takes, including what an EJB wrapped on its way out. */
    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception e) {
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof InvalidRequestException invalid) {
                return new InvalidRequest().toResponse(invalid);
            }
            if (cause instanceof BusyException busy) {
                return new Busy().toResponse(busy);
            }
            if (cause instanceof WebApplicationException web) {
                return new WebApplication().toResponse(web);
            }
            for (Throwable c = cause; c != null; c = c.getCause()) {
                if (c instanceof JsonbException || c instanceof JsonException) {
                    Throwable innermost = c;
                    while (innermost.getCause() != null) {
                        innermost = innermost.getCause();
                    }
                    return Problems.problem(
                                    Response.Status.BAD_REQUEST,
                                    "the request body is not the JSON this operation takes: "
                                            + withoutClassNames(innermost.getMessage()))
                            .build();
                }
            }
            LOG.log(System.Logger.Level.ERROR, "Request failed", cause);
            return Problems.problem(
                            Response.Status.INTERNAL_SERVER_ERROR,
                            "the request failed on the server; the server log has the details")
                    .build();
        }
    }

    /** A parser's message without the server's class names ({@code org.registryaudit.x.Y} becomes {@code Y}). */
    static String withoutClassNames(String message) {
        return message == null
                ? ""
                : message.replaceAll("(?:class )?\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)", "$1");
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return field + ": " + violation.getMessage();
    }
}
