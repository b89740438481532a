package org.registryaudit.system;

import java.util.Map;

/**
 * {@link FullServerST} on a Payara Server 6 domain, its resources made by
 * server-config/payara-server/registry-audit.asadmin (README "Deploy to Payara Server"): the
 * standalone Artemis broker through the project's resource adapter, PostgreSQL as the default
 * datasource. Kill -9 is of the domain's server process.
 */
class PayaraServerST extends FullServerST {

    @Override
    ProductionStack startOnServer(Map<String, String> environment) throws Exception {
        return ProductionStack.onPayaraServer("registry_audit_ps_st", environment);
    }
}
