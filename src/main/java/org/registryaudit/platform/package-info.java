/**
 * Platform: what every component stands on: schema migration with Flyway, the data directory,
 * generated secrets, health checks, and the hand-written JSON text (JsonText, InstantText) of
 * the archive and the changefeed. Uses nothing else of the application except the queue name
 * for the broker check.
 */
package org.registryaudit.platform;
