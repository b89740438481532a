package org.registryaudit.auth.control;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.registryaudit.platform.entity.Visibility;

/**
 * The caller's view of the event tables, from the user's current role and grants in the
 * directory, not from the token: a revoked grant or a demoted admin takes effect on the next
 * request (within a second on other servers sharing the database, {@link CurrentAccounts}), not
 * when the token expires. A token of a user who no longer exists sees nothing.
 */
@RequestScoped
public class CallerAccess {

    /** No repository matches an empty pattern list, and no login event has an empty identity. */
    private static final Visibility NOTHING = new Visibility(List.of(), "");

    @Inject
    JsonWebToken token;

    @Inject
    CurrentAccounts users;

    @Produces
    Visibility visibility() {
        return users.account(token.getName())
                .map(account -> AccessRules.visibility(account, users.realm()))
                .orElse(NOTHING);
    }
}
