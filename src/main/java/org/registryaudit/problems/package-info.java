/**
 * Problems: the one error contract of the service, RFC 9457 application/problem+json: the exception
 * mappers of the APIs, and the page of the errors the container answers itself (a refused token, an
 * unknown path). Uses auth's {@code BearerChallenge} for the 401 page's challenge, nothing else.
 */
package org.registryaudit.problems;
