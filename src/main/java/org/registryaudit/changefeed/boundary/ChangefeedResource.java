package org.registryaudit.changefeed.boundary;

import java.security.Principal;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.registryaudit.auth.control.AccessRules;
import org.registryaudit.auth.control.AccessRules.Account;
import org.registryaudit.auth.control.CurrentAccounts;
import org.registryaudit.auth.control.Scope;
import org.registryaudit.changefeed.control.ChangeFeed;
import org.registryaudit.changefeed.control.FeedRequest;
import org.registryaudit.changefeed.entity.ChangePage;
import org.registryaudit.problems.boundary.BearerChallenge;

/**
 * The Notary / DTR changefeed, path for path and field for field as notary-server 0.7.0 serves
 * it. Any valid token gets in; access is decided here, from the caller's current grants, as the
 * DTR document describes: the global feed needs {@code registry:catalog:*} (admins), a GUN's feed
 * needs pull on that repository. One instance for all requests (the request's security context and
 * URI come as parameters): creating and injecting one per request took 7% of a request's CPU (JFR).
 */
@Path("v2")
@ApplicationScoped
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class ChangefeedResource {

    private static final Scope CATALOG = Scope.parse("registry:catalog:*");

    @Inject
    ChangeFeed feed;

    @Inject
    CurrentAccounts users;

    @Inject
    BearerChallenge challenge;

    @GET
    @Path("_trust/changefeed")
    @Operation(summary = "Every trust change (Notary changefeed); needs registry:catalog:*")
    public ChangePage all(
            @QueryParam("records") String records,
            @QueryParam("change_id") String changeId,
            @Context SecurityContext security,
            @Context UriInfo uri) {
        authorize(CATALOG, security, uri);
        return ChangePage.of(feed.page(null, FeedRequest.parse(records, changeId, feed.maxRecords())));
    }

    @GET
    @Path("{gun: .+}/_trust/changefeed")
    @Operation(summary = "The trust changes of one GUN (exact match); needs pull on that repository")
    public ChangePage ofGun(
            @PathParam("gun") String gun,
            @QueryParam("records") String records,
            @QueryParam("change_id") String changeId,
            @Context SecurityContext security,
            @Context UriInfo uri) {
        authorize(new Scope("repository", gun, List.of("pull")), security, uri);
        return ChangePage.of(feed.page(gun, FeedRequest.parse(records, changeId, feed.maxRecords())));
    }

    private void authorize(Scope needed, SecurityContext security, UriInfo uri) {
        Principal caller = security.getUserPrincipal();
        if (caller == null) {
            String realm = challenge.realm(uri.getBaseUri());
            throw new WebApplicationException(NotaryErrors.error(
                            Response.Status.UNAUTHORIZED,
                            NotaryErrors.UNAUTHORIZED,
                            "authentication required",
                            "send a token from " + realm)
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenge.header(uri.getBaseUri(), needed.text(), null))
                    .build());
        }
        // an anonymous token (subject 'anonymous', no user's name) holds what anyone may pull
        Account account = users.account(caller.getName()).orElse(Account.ANONYMOUS);
        AccessRules.Realm realm = users.realm();
        if (!AccessRules.decide(account, account.isAdmin() ? realm.withoutPublic() : realm, List.of(needed))
                .denied()
                .isEmpty()) {
            throw new WebApplicationException(NotaryErrors.error(
                            Response.Status.FORBIDDEN,
                            NotaryErrors.DENIED,
                            "requested access to the resource is denied",
                            "the changefeed needs " + needed.text())
                    .build());
        }
    }
}
