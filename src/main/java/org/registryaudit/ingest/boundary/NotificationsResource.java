package org.registryaudit.ingest.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.ingest.control.IncomingMessage;
import org.registryaudit.ingest.control.InvalidMessageException;
import org.registryaudit.ingest.control.MessageParser;
import org.registryaudit.ingest.control.QueueSender;
import org.registryaudit.ingest.control.RejectStore;
import org.registryaudit.platform.control.Secrets;
import org.registryaudit.problems.boundary.Problems;

/**
 * The endpoint a docker-registry's {@code notifications.endpoints[].url} points at. It checks the
 * shared secret and the envelope's shape, puts the body on the audit queue (with the other requests'
 * bodies that wait, in one broker transaction) and answers 202 once it is there, so the registry
 * never re-sends a delivered event; the listener does the rest.
 */
@Path("notifications")
@ApplicationScoped
@PermitAll
public class NotificationsResource {

    private static final System.Logger LOG = System.getLogger(NotificationsResource.class.getName());

    /** The header a registry sends the shared secret in (its config's {@code headers:}). */
    public static final String SECRET_HEADER = "X-Registry-Audit-Secret";

    private final MessageParser parser = new MessageParser();

    /** The Source of the rejected messages this endpoint refused. */
    static final String SOURCE = "webhook";

    static final int KEPT_BYTES = 65_536;

    @Inject
    QueueSender queue;

    @Inject
    RejectStore rejects;

    @Inject
    @ConfigProperty(name = "registry-audit.notifications.secret")
    Optional<String> configuredSecret;

    @Inject
    @ConfigProperty(name = "registry-audit.notifications.max-bytes")
    int maxBytes;

    private String secret;

    /** Created at deployment, so that a generated secret's file exists before the first request. */
    void atStart(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        // the observer's only job is to instantiate the bean, which runs init()
    }

    @PostConstruct
    void init() {
        secret = Secrets.configuredOrGenerated(configuredSecret, "notification-secret", "notification secret");
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Receive a distribution registry notification envelope",
            description = "Authenticated by the shared secret in the X-Registry-Audit-Secret header. "
                    + "The optional loginServer query parameter names the registry when request.host does not.")
    public Response receive(
            @HeaderParam(SECRET_HEADER) String givenSecret,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("loginServer") String loginServer,
            InputStream body)
            throws IOException {
        if (!Secrets.matches(secret, givenSecret)) {
            return Problems.problem(
                            Response.Status.UNAUTHORIZED,
                            "the " + SECRET_HEADER
                                    + " header is missing or does not hold the configured notification secret")
                    .build();
        }
        String type = contentType == null ? MessageParser.DISTRIBUTION_V1 : contentType;
        if (!MessageParser.isNotification(type)) {
            return Problems.problem(
                            Response.Status.UNSUPPORTED_MEDIA_TYPE,
                            "Content-Type '" + type + "' is not " + MessageParser.DISTRIBUTION_V1 + ", "
                                    + MessageParser.DISTRIBUTION_V2 + " or application/json")
                    .build();
        }
        byte[] bytes = body.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            String detail = "the body is larger than " + maxBytes + " bytes (registry-audit.notifications.max-bytes)";
            refused(bytes, type, loginServer, detail + "; its first " + KEPT_BYTES + " bytes are kept");
            return Problems.problem(Response.Status.REQUEST_ENTITY_TOO_LARGE, detail)
                    .build();
        }
        String text;
        int events;
        try {
            text = MessageParser.utf8(bytes);
            MessageParser.checkLoginServer(loginServer);
            events = parser.checkEnvelope(text);
        } catch (InvalidMessageException e) {
            refused(bytes, type, loginServer, e.getMessage());
            return Problems.problem(Response.Status.BAD_REQUEST, e.getMessage()).build();
        }
        try {
            queue.send(text, type, loginServer);
        } catch (RuntimeException e) { // the EJB or the broker is not there yet, or not any more: nothing was queued
            LOG.log(System.Logger.Level.WARNING, "Cannot queue a notification, answered 503: {0}", e.toString());
            return Problems.problem(
                            Response.Status.SERVICE_UNAVAILABLE,
                            "the audit queue cannot take the notification "
                                    + "now (the service is starting, or the broker is unreachable); send it again")
                    .header(HttpHeaders.RETRY_AFTER, 5)
                    .build();
        }
        return Response.accepted(
                        Json.createObjectBuilder().add("accepted", events).build())
                .build();
    }

    /**
     * A refused notification (from a caller that knows the secret) is kept as a rejected message,
     * with at most its first {@value #KEPT_BYTES} bytes: enough to tell what it was, and no more
     * work per refusal than that.
     */
    private void refused(byte[] bytes, String type, String loginServer, String reason) {
        String text = new String(bytes, 0, Math.min(bytes.length, KEPT_BYTES), StandardCharsets.UTF_8);
        rejects.record(new IncomingMessage(text, type, loginServer, null, SOURCE), text, reason);
    }
}
