package org.registryaudit.platform.boundary;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the default datasource hands out valid connections. Created when the
 * application starts: WildFly calls health checks on a management thread, where the datasource
 * of {@code java:comp} cannot be looked up, so it must be injected before.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    void createdAtStart(@Observes @Initialized(ApplicationScoped.class) Object start) {
        // nothing to do: observing the start is what creates this bean while java:comp is there
    }

    @Override
    public HealthCheckResponse call() {
        if (!Started.isDone()) {
            return HealthCheckResponse.named("database")
                    .down()
                    .withData("starting", true)
                    .build();
        }
        try (Connection connection = dataSource.getConnection()) {
            return HealthCheckResponse.named("database")
                    .status(connection.isValid(2))
                    .withData("product", connection.getMetaData().getDatabaseProductName())
                    .build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("database")
                    .down()
                    .withData("error", e.getMessage())
                    .build();
        }
    }
}
