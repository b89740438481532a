package org.registryaudit.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** A full application server the stack runs the WAR on instead of Payara Micro: Payara Server or WildFly. */
interface FullServer {

    /** The HTTP port of the application. */
    int httpPort();

    /** The HTTPS port of the application, with the test CA's certificate. */
    int httpsPort();

    /** Where the server answers {@code /health}. */
    int healthPort();

    /** Where the server publishes the service's Prometheus figures. */
    URI metrics();

    /** Starts the installed server again; it inherits this environment (configuration keys as variables). */
    void start(Map<String, String> environment) throws Exception;

    /** kill -9 of the server process: no shutdown hook, no transaction gets to finish. */
    void kill() throws Exception;

    void stop() throws Exception;

    boolean alive();

    long pid() throws IOException;

    Path log();

    /** The service's data directory: registry-audit under the server's own data directory. */
    Path dataDirectory();
}
