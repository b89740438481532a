/**
 * The JMS resource adapter packaged as {@code artemis-ra.rar}, not part of the WAR: Artemis' own
 * adapter that also starts an embedded broker when it is configured for the in-VM connector. It
 * uses nothing from the application.
 */
package org.registryaudit.broker;
