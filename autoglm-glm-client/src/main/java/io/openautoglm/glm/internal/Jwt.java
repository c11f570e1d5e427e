package io.openautoglm.glm.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GLM's JWT: HS256, header {@code {"alg":"HS256","sign_type":"SIGN"}}, claims {@code api_key}, {@code exp} and
 * {@code timestamp} in epoch milliseconds, signed with the secret half of an {@code id.secret} key. A token is
 * cached and reused until {@code refreshMargin} before it expires. Thread-safe.
 */
public final class Jwt {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String id;
    private final byte[] secret;
    private final Clock clock;
    private final Duration ttl;
    private final Duration refreshMargin;
    private String token;
    private long refreshAtMillis;

    public Jwt(String apiKey, Clock clock, Duration ttl, Duration refreshMargin) {
        int dot = apiKey == null ? -1 : apiKey.indexOf('.');
        if (dot <= 0 || dot == apiKey.length() - 1 || apiKey.indexOf('.', dot + 1) >= 0) {
            // The key itself is never echoed: only its shape is described.
            throw new IllegalArgumentException("apiKey: JWT authentication needs a key of the form <id>.<secret> with "
                    + "exactly one dot; the key given has "
                    + (apiKey == null
                            ? "no value"
                            : apiKey.chars().filter(c -> c == '.').count() + " dots and " + apiKey.length()
                                    + " characters"));
        }
        this.id = apiKey.substring(0, dot);
        this.secret = apiKey.substring(dot + 1).getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.ttl = ttl;
        this.refreshMargin = refreshMargin;
    }

    /** A valid token, made anew only when the cached one is close to expiry. */
    public synchronized String token() {
        long now = clock.millis();
        if (token == null || now >= refreshAtMillis) {
            long exp = now + ttl.toMillis();
            token = create(id, secret, now, exp);
            refreshAtMillis = exp - refreshMargin.toMillis();
        }
        return token;
    }

    /** Drops the cached token after the server called it expired, so the next call signs a fresh one. */
    public synchronized void invalidate(String rejected) {
        if (rejected == null || rejected.equals(token)) {
            token = null;
        }
    }

    static String create(String id, byte[] secret, long nowMillis, long expMillis) {
        String header = "{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}";
        String payload = "{\"api_key\":\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"exp\":" + expMillis
                + ",\"timestamp\":" + nowMillis + "}";
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64.encodeToString(hmac(secret, signingInput));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Jwt[<redacted>]";
    }
}
