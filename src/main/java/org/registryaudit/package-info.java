/**
 * Registry Audit: the audit log of container registries.
 *
 * <ul>
 * <li>{@code ingest}: JMS listener and registry webhook; parses, de-duplicates through
 * {@code events} and {@code changefeed}, keeps what it cannot parse as rejected messages. Uses events,
 * changefeed, platform, problems.</li>
 * <li>{@code events}: repository and login events (the Azure tables), their idempotent store and
 * keyset-paged queries. Uses platform and problems only.</li>
 * <li>{@code changefeed}: trust changes and the Notary / DTR changefeed API, fed by JMS (through
 * ingest) and by followers of Notary servers. Uses auth (who may read which GUN), platform, problems.</li>
 * <li>{@code archive}: diagnostic settings, the archive timer, signed digests, verification. Uses auth
 * (key utility), platform, problems.</li>
 * <li>{@code auth}: the registry's token service: users, grants, public repositories, tokens and their
 * signing keys, login events for every token request, brute-force protection, and the access rules
 * that limit what a caller sees of the events (it produces the caller's {@code Visibility}). Uses
 * events, platform, problems.</li>
 * <li>{@code platform}: schema migration, data directory (private to the service's user), secrets,
 * health (DOWN until the application has started), the request body limit, shared persistence
 * details (columns fitted to their length). Uses problems (the 413) only.</li>
 * <li>{@code problems}: the application/problem+json error contract of every API, the container's own
 * errors included. Uses auth's Bearer challenge for the 401 page.</li>
 * <li>{@code broker}: the Artemis resource adapter, packaged as a RAR outside the WAR.</li>
 * </ul>
 */
package org.registryaudit;
