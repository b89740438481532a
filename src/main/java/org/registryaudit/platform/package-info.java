/**
 * Platform: what every component stands on: schema migration with Flyway, the data directory
 * (0700), generated secrets, health checks (DOWN until the application has started, see
 * {@code Started}), the limit on request bodies, and the hand-written JSON text (JsonText,
 * InstantText) of the archive and the changefeed, and GroupedWork (many threads hand work over
 * and wait; a few do it for all that wait at once). Uses nothing else of the application except the
 * queue name for the broker check and problems for the 413.
 */
package org.registryaudit.platform;
