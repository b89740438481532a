/**
 * Auth: the token service a registry with {@code auth: token} delegates to. Users with PBKDF2
 * password hashes, grants on repository name patterns and public repositories (it owns their
 * tables); the token endpoint in the Docker registry format, which records every request as a login
 * event and slows down and locks out repeated failures; the signing keys and their rotation, which
 * MicroProfile JWT verifies on every API; and the access rules, which produce each caller's
 * {@code Visibility} of the audit tables. May use events (to store login events), platform and
 * problems.
 */
package org.registryaudit.auth;
