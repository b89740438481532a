package org.registryaudit.problems.boundary;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem details: the one error shape of every API of the service. */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.valueOf("application/problem+json");

    private Problems() {}

    /** A useful detail for an error that came without one (an unknown path, a method not allowed). */
    public static String detailOf(int status) {
        return switch (status) {
            case 401 ->
                "the bearer token is missing, expired, not signed by a trusted key or not for this service; "
                        + "get one from /auth/token";
            case 403 -> "the token does not grant this";
            case 404 -> "there is no such resource; /openapi lists them";
            case 405 -> "this method is not allowed here; /openapi lists the methods";
            case 406 -> "this resource cannot answer in the media type the Accept header asks for";
            case 415 -> "this resource does not take a body of this Content-Type; /openapi lists what it takes";
            default -> status >= 500 ? "the request failed on the server; the server log has the details" : null;
        };
    }

    public static Response.ResponseBuilder problem(Response.StatusType status, String detail) {
        return Response.status(status)
                .type(PROBLEM_JSON)
                .entity(body(status, detail).build());
    }

    /** A problem with one extension member, such as OAuth2's {@code error} code. */
    public static Response.ResponseBuilder problem(
            Response.StatusType status, String detail, String member, String value) {
        return Response.status(status)
                .type(PROBLEM_JSON)
                .entity(body(status, detail).add(member, value).build());
    }

    private static JsonObjectBuilder body(Response.StatusType status, String detail) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", status.getReasonPhrase())
                .add("status", status.getStatusCode());
        if (detail != null) {
            body.add("detail", detail);
        }
        return body;
    }
}
