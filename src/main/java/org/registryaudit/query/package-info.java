/**
 * Query: the Kusto subset that Azure users read registry logs with, translated to one SQL statement
 * with every user value as a bind parameter, over the event tables, AzureMetrics and the trust
 * changes, inside the caller's access rules. Answers in the Log Analytics API shape. Uses events
 * (the caller's Visibility), auth (the GUN rule), platform and problems.
 */
package org.registryaudit.query;
