package org.registryaudit.metrics.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The {@link ServiceFigures} through Micrometer, on WildFly (its micrometer subsystem serves them in
 * Prometheus format: server-config/wildfly/registry-audit.cli). Where no server offers a
 * {@code MeterRegistry} (Payara has Micrometer's classes, but no registry) this does nothing, and
 * {@link ServiceMetrics} publishes the figures. Micrometer's Prometheus output has no help texts
 * for them; README "Operations" has what each means.
 */
@ApplicationScoped
public class MicrometerMetrics {

    @Inject
    Instance<MeterRegistry> registries;

    @Inject
    ServiceFigures figures;

    void register(@Observes @Initialized(ApplicationScoped.class) Object start) {
        if (!registries.isResolvable()) {
            return;
        }
        MeterRegistry registry = registries.get();
        // the registry's own methods, not the builders: WildFly 39's per-deployment registry passes only
        // these on to the registry it exports (meters registered through a builder stayed in it, unseen)
        Counter repositoryEvents =
                registry.counter(ServiceFigures.EVENTS_STORED, "table", "ContainerRegistryRepositoryEvents");
        Counter loginEvents = registry.counter(ServiceFigures.EVENTS_STORED, "table", "ContainerRegistryLoginEvents");
        figures.countStoredWith((repository, login) -> {
            repositoryEvents.increment(repository);
            loginEvents.increment(login);
        });
        for (ServiceFigures.Gauge gauge : figures.gauges()) {
            registry.gauge(gauge.name(), Tags.empty(), gauge.value(), value -> value.get());
        }
    }
}
