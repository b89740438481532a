package org.registryaudit.system;

import java.util.Map;

/**
 * {@link FullServerST} on a WildFly 39 standalone-full server, set up by server-config/wildfly
 * (README "Deploy to WildFly"): EclipseLink in its module, the PostgreSQL datasource as the
 * default one, the queue in WildFly's own messaging server, which the JMS producer reaches over
 * WildFly's HTTP port. Kill -9 takes that broker down with the server: the producer sends again
 * what it could not commit, as an at-least-once producer does.
 */
class WildFlyST extends FullServerST {

    @Override
    ProductionStack startOnServer(Map<String, String> environment) throws Exception {
        return ProductionStack.onWildFly("registry_audit_wf_st", environment);
    }
}
