/**
 * Auth: the token service a registry with {@code auth: token} delegates to. Users with PBKDF2
 * password hashes, grants on repository name patterns and public repositories; the token endpoint
 * in the Docker registry format, which records every request as a login event and slows down and
 * locks out repeated failures; the signing keys and their rotation, which MicroProfile JWT verifies
 * on every API; and the access rules, which also decide what of the event tables a caller sees.
 * Uses events (to store login events and to hand it the caller's visibility), platform and problems.
 */
package org.registryaudit.auth;
