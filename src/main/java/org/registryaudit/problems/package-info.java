/** Problems: the one error contract of the service, RFC 9457 application/problem+json. Uses nothing else. */
package org.registryaudit.problems;
