/**
 * Problems: the one error contract of the service, RFC 9457 application/problem+json: the exception
 * mappers of the APIs, the page of the errors the container answers itself (a refused token, an
 * unknown path), and the Bearer challenge of every 401. Uses nothing else of the application.
 */
package org.registryaudit.problems;
