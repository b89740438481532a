package org.registryaudit.changefeed.boundary;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.registryaudit.changefeed.control.InvalidFeedRequestException;

/**
 * The changefeed answers errors in notary-server's shape, {@code {"errors": [{"code", "message",
 * "detail"}]}}, since the clients of that API parse it; every other API answers problem+json.
 */
final class NotaryErrors {

    static final String INVALID_PARAMETERS = "INVALID_PARAMETERS";
    static final String UNAUTHORIZED = "UNAUTHORIZED";
    static final String DENIED = "DENIED";

    private NotaryErrors() {}

    static Response.ResponseBuilder error(Response.Status status, String code, String message, String detail) {
        var error = Json.createObjectBuilder().add("code", code).add("message", message);
        if (detail != null) {
            error.add("detail", detail);
        }
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder()
                        .add("errors", Json.createArrayBuilder().add(error))
                        .build());
    }

    @Provider
    public static class InvalidParameters implements ExceptionMapper<InvalidFeedRequestException> {
        @Override
        public Response toResponse(InvalidFeedRequestException e) {
            return error(
                            Response.Status.BAD_REQUEST,
                            INVALID_PARAMETERS,
                            "The parameters provided are not valid.",
                            e.getMessage())
                    .build();
        }
    }
}
