/**
 * Auth: the token endpoint in the Docker registry token format, the key that signs its tokens
 * (which MicroProfile JWT verifies on every API) and the bootstrap administrator. May use platform
 * and problems.
 */
package org.registryaudit.auth;
