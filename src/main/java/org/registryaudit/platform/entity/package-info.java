/** Persistence details shared by every component's entities. Uses nothing else of the application. */
package org.registryaudit.platform.entity;
