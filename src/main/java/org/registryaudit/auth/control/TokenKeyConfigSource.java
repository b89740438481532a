package org.registryaudit.auth.control;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives MicroProfile JWT the trusted signing keys ({@code mp.jwt.verify.publickey}), so that tokens
 * from {@code /auth/token} verify on every API without any key configuration: the one key as PEM,
 * or a JWKS while a rotation trusts several ({@link TokenKeys#verificationKeys()}); either way a
 * token naming any other {@code kid} is refused ({@code TokenChecks}). (Payara
 * caches the value twice: {@code publicKey.cache.ttl} of {@code payara-mp-jwt.properties} and the
 * MicroProfile Config cache of {@code defaults.asadmin}, 10 s each.) Its
 * ordinal is below system properties and environment variables, which can still override it.
 */
public class TokenKeyConfigSource implements ConfigSource {

    static final String PUBLIC_KEY = "mp.jwt.verify.publickey";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PUBLIC_KEY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PUBLIC_KEY, TokenKeys.verificationKeys());
    }

    @Override
    public String getValue(String propertyName) {
        return PUBLIC_KEY.equals(propertyName) ? TokenKeys.verificationKeys() : null;
    }

    @Override
    public String getName() {
        return "registry-audit-token-key";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
