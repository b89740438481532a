/**
 * What the components share about their tables: {@code AuditTable} descriptions, column types,
 * the caller's {@code Visibility}, columns fitted to their length, the time converter. Uses nothing
 * else of the application.
 */
package org.registryaudit.platform.entity;
