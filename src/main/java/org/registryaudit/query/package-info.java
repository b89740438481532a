/**
 * Query: the Kusto subset that Azure users read registry logs with, translated to one SQL statement
 * with every user value as a bind parameter, over the tables their owners describe (the events,
 * AzureMetrics, the trust changes), each read inside the caller's {@code Visibility}. Answers in
 * the Log Analytics API shape. Owns no table. May use changefeed, events and metrics (their table
 * descriptions), platform and problems.
 */
package org.registryaudit.query;
