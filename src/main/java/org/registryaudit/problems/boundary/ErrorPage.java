package org.registryaudit.problems.boundary;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The errors the server answers before any resource runs (WEB-INF/web.xml names this page):
 * MicroProfile JWT's 401 for an expired, forged or foreign token, and 404, 405 and 500 of the
 * servlet container. They get the same {@code application/problem+json} as every other error
 * instead of the server's HTML page, and a 401 gets the Bearer challenge that sends a client to
 * the token endpoint.
 */
@WebServlet(ErrorPage.PATH)
public class ErrorPage extends HttpServlet {

    static final String PATH = "/problems/error";
    private static final long serialVersionUID = 1L;

    @Inject
    transient BearerChallenge challenge;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer c ? c : HttpServletResponse.SC_NOT_FOUND;
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        String detail = Objects.requireNonNullElse(Problems.detailOf(status), title);
        if (status == 401) {
            URI base = URI.create(request.getRequestURL().toString()).resolve(request.getContextPath() + "/");
            boolean sentToken =
                    String.valueOf(request.getHeader(HttpHeaders.AUTHORIZATION)).startsWith("Bearer ");
            response.setHeader(
                    HttpHeaders.WWW_AUTHENTICATE, challenge.header(base, null, sentToken ? "invalid_token" : null));
        }
        response.setStatus(status);
        response.setCharacterEncoding("UTF-8");
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (String.valueOf(uri).startsWith(request.getContextPath() + "/v1/")) { // the Log Analytics API
            response.setContentType("application/json");
            response.getWriter().write(AzureErrors.of(status, detail).toString());
            return;
        }
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status)
                .add("detail", detail);
        response.setContentType(Problems.PROBLEM_JSON.toString());
        response.getWriter().write(body.build().toString());
    }
}
