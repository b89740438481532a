package org.registryaudit.problems.boundary;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem details: the one error shape of every API of the service. */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.valueOf("application/problem+json");

    private Problems() {
    }

    public static Response.ResponseBuilder problem(Response.StatusType status, String detail) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", status.getReasonPhrase())
                .add("status", status.getStatusCode());
        if (detail != null) {
            body.add("detail", detail);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body.build());
    }
}
