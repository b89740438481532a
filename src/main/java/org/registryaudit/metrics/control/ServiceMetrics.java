package org.registryaudit.metrics.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import org.registryaudit.events.control.EventsStored;

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

    private Counter repositoryEvents;
    private Counter loginEvents;

    void register(@Observes @Initialized(ApplicationScoped.class) Object start) {
        Metadata stored = Metadata.builder().withName(ServiceFigures.EVENTS_STORED)
                .withDescription(ServiceFigures.EVENTS_STORED_HELP).build();
        repositoryEvents = registry.counter(stored, new Tag("table", "ContainerRegistryRepositoryEvents"));
        loginEvents = registry.counter(stored, new Tag("table", "ContainerRegistryLoginEvents"));
        for (ServiceFigures.Gauge gauge : figures.gauges()) {
            registry.gauge(Metadata.builder().withName(gauge.name()).withDescription(gauge.description()).build(),
                    gauge.value());
        }
    }

    /** After commit only: a rolled-back transaction stored nothing. */
    void stored(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventsStored stored) {
        repositoryEvents.inc(stored.repositoryEvents().size());
        loginEvents.inc(stored.loginEvents().size());
    }
}
