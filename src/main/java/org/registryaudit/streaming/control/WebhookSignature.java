package org.registryaudit.streaming.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as the Standard Webhooks specification defines: the headers
 * {@code webhook-id}, {@code webhook-timestamp} (seconds since the epoch) and
 * {@code webhook-signature} ({@code v1,} and the Base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under the secret). A receiver checks the signature and refuses
 * timestamps too far from its clock, so a recorded request cannot be replayed later.
 */
public final class WebhookSignature {

    static final String PREFIX = "whsec_";

    private final byte[] key;

    /** @param secret {@code whsec_} and the Base64 of at least 24 random bytes */
    public WebhookSignature(String secret) {
        this.key = key(secret);
    }

    /** The key of a secret; throws IllegalArgumentException, without the secret, when it is not one. */
    static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret is whsec_ followed by Base64 "
                    + "(make one with: echo whsec_$(openssl rand -base64 32))");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret after whsec_ is not Base64");
        }
        if (key.length < 24) {
            throw new IllegalArgumentException(
                    "the webhook secret is " + key.length + " bytes; at least 24 (openssl rand -base64 32 makes 32)");
        }
        return key;
    }

    public String sign(String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
