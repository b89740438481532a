package org.registryaudit.platform.boundary;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Whether the application has finished starting (its web module is up, after the schema migration
 * and every startup bean). The readiness checks say DOWN before: Payara registers them one by one
 * while the application deploys, and /health once said UP with the broker's check alone, before the
 * database's was there and while requests still got 404 and 500.
 */
@WebListener
public class Started implements ServletContextListener {

    private static volatile boolean done;

    public static boolean isDone() {
        return done;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        done = true;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        done = false;
    }
}
