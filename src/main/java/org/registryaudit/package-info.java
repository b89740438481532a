/**
 * Registry Audit: the audit log of container registries. One component per package, each with
 * {@code boundary} (REST resources, message-driven beans, timers), {@code control} and
 * {@code entity}; the dependencies go one way, in this order (each may use those above it), and
 * {@code ArchitectureTest} holds them so (docs/architecture.md draws them):
 *
 * <ul>
 * <li>{@code problems}: the application/problem+json error contract of every API.</li>
 * <li>{@code platform}: schema migration, the clock, data directory, secrets, health, the body
 * limit, JSON text; the shared table descriptions ({@code AuditTable}) and {@code Visibility}.</li>
 * <li>{@code events}: repository and login events (the Azure tables), their idempotent store and
 * keyset-paged queries.</li>
 * <li>{@code auth}: the registry's token service: users, grants, public repositories, tokens and
 * their signing keys, a login event for every token request, brute-force protection, and the
 * access rules that produce each caller's {@code Visibility}.</li>
 * <li>{@code changefeed}: trust changes and the Notary / DTR changefeed API, fed by JMS (through
 * ingest) and by followers of Notary servers.</li>
 * <li>{@code ingest}: the JMS listener and the registry webhook; parses, stores through events and
 * changefeed, keeps what it cannot parse as rejected messages; the diagnostic settings.</li>
 * <li>{@code archive}: the archive timer, signed digests, verification, restore, export.</li>
 * <li>{@code streaming}: records streamed out as they are stored (syslog over TLS or TCP, signed
 * webhooks, a JMS topic), through an outbox written in the storing transaction.</li>
 * <li>{@code metrics}: AzureMetrics counts and the service's own figures.</li>
 * <li>{@code query}: the Kusto subset over every table a query can name.</li>
 * <li>{@code console}: serves the browser console, static files (src/main/webapp/WEB-INF/console) that
 * use only the API.</li>
 * <li>{@code broker}: the Artemis resource adapter, packaged as a RAR outside the WAR.</li>
 * </ul>
 */
package org.registryaudit;
