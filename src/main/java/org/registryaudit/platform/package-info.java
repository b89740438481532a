/**
 * Platform: what every component stands on: schema migration with Flyway, the one clock
 * ({@code AuditClock}), the data directory (0700), generated secrets, health (DOWN until the
 * application has started, see {@code Started}), the limit on request bodies, the request parameters read as types ({@code RequestParams}: times and page limits, a bad one a 400 that names it), the hand-written JSON
 * text (JsonText, InstantText) of the archive and the changefeed, GroupedWork (many threads hand
 * work over and wait; a few do it for all that wait at once), and in {@code entity} the shapes every
 * component shares: {@code AuditTable} (how an owner describes its table), {@code ColumnType},
 * {@code Visibility} (what of the audit tables a caller sees, applied through a table's access
 * rule), fitted columns. May use problems (the 413) only.
 */
package org.registryaudit.platform;
