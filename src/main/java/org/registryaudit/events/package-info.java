/**
 * Events: ContainerRegistryRepositoryEvents and ContainerRegistryLoginEvents, stored idempotently
 * by EventId and read newest first with keyset pagination. May use platform and problems.
 */
package org.registryaudit.events;
