package org.registryaudit.metrics.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The {@link ServiceFigures} in the application scope of {@code /metrics} (Prometheus format)
 * through MicroProfile Metrics, on Payara. Where that API is missing (WildFly 39) this class cannot
 * load, CDI leaves it out, and {@link MicrometerMetrics} publishes the figures instead.
 */
@ApplicationScoped
public class ServiceMetrics {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    ServiceFigures figures;

    void register(@Observes @Initialized(ApplicationScoped.class) Object start) {
        Metadata stored = Metadata.builder()
                .withName(ServiceFigures.EVENTS_STORED)
                .withDescription(ServiceFigures.EVENTS_STORED_HELP)
                .build();
        Counter repositoryEvents = registry.counter(stored, new Tag("table", "ContainerRegistryRepositoryEvents"));
        Counter loginEvents = registry.counter(stored, new Tag("table", "ContainerRegistryLoginEvents"));
        figures.countStoredWith((repository, login) -> {
            repositoryEvents.inc(repository);
            loginEvents.inc(login);
        });
        for (ServiceFigures.Gauge gauge : figures.gauges()) {
            registry.gauge(
                    Metadata.builder()
                            .withName(gauge.name())
                            .withDescription(gauge.description())
                            .build(),
                    gauge.value());
        }
    }
}
