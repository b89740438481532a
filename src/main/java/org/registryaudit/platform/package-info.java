/**
 * Platform: what every component stands on: schema migration with Flyway, the data directory,
 * generated secrets, health checks. Uses nothing else of the application except the queue name
 * for the broker check.
 */
package org.registryaudit.platform;
