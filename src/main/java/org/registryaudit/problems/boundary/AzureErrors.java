package org.registryaudit.problems.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * The error shape of Azure's REST APIs, which the Log Analytics query API answers with and its
 * clients read: {@code {"error":{"code":"BadArgumentError","message":…,"innererror":{…}}}}. The
 * resources marked {@link Shape} answer every error so, the problem+json of the mappers turned into
 * it here (the detail is the message); {@link ErrorPage} does the same for their paths.
 */
@Provider
@AzureErrors.Shape
public class AzureErrors implements ContainerResponseFilter {

    /** Marks a resource whose errors are in Azure's shape. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface Shape {}

    /** A query's syntax error names its place so (QuerySyntaxException). */
    private static final Pattern AT = Pattern.compile("^line (\\d+), column (\\d+): (.*)$", Pattern.DOTALL);

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof JsonObject problem
                && Problems.PROBLEM_JSON.isCompatible(response.getMediaType())) {
            response.setEntity(
                    of(response.getStatus(), problem.getString("detail", problem.getString("title", ""))),
                    null,
                    MediaType.APPLICATION_JSON_TYPE);
        }
    }

    /** The Azure error of a status and its detail. */
    public static JsonObject of(int status, String detail) {
        JsonObjectBuilder error =
                Json.createObjectBuilder().add("code", code(status)).add("message", detail);
        Matcher at = AT.matcher(detail);
        if (status == 400 && at.matches()) {
            error.add(
                    "innererror",
                    Json.createObjectBuilder()
                            .add("code", "SyntaxError")
                            .add("message", at.group(3))
                            .add("line", Integer.parseInt(at.group(1)))
                            .add("pos", Integer.parseInt(at.group(2))));
        }
        return Json.createObjectBuilder().add("error", error).build();
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "BadArgumentError";
            case 401 -> "AuthenticationFailed";
            case 403 -> "InsufficientAccessError";
            case 404 -> "NotFoundError";
            case 405 -> "MethodNotAllowed";
            case 406, 415 -> "UnsupportedMediaType";
            case 413 -> "RequestTooLargeError";
            case 429 -> "ThrottledError";
            case 503 -> "ServiceUnavailableError";
            default -> status >= 500 ? "InternalServerError" : "BadRequest";
        };
    }
}
