/**
 * Events: owns ContainerRegistryRepositoryEvents and ContainerRegistryLoginEvents (described by
 * {@code RepositoryEvent.TABLE} and {@code LoginEvent.TABLE}), stores them idempotently by EventId
 * and reads them newest first with keyset pagination; announces what it stored with
 * {@code EventsStored}, which metrics observes. May use platform and problems.
 */
package org.registryaudit.events;
