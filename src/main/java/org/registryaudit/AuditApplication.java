package org.registryaudit;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The REST application. Every resource requires a MicroProfile JWT (issued by {@code /auth/token})
 * unless it says otherwise: the token endpoint itself and the registry notification webhook.
 */
@ApplicationPath("")
@LoginConfig(authMethod = "MP-JWT", realmName = "registry-audit")
@DeclareRoles({AuditApplication.ADMIN, AuditApplication.AUDITOR})
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Registry Audit",
                        version = "1",
                        description =
                                "The audit log of container registries: logins, pushes, pulls, deletes and trust changes."))
@ApplicationScoped
public class AuditApplication extends Application {

    /** Sees and manages everything. */
    public static final String ADMIN = "admin";
    /** Reads audit data. */
    public static final String AUDITOR = "auditor";
}
