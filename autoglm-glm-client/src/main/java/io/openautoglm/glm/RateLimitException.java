package io.openautoglm.glm;

import java.time.Duration;

/**
 * HTTP 429 with {@code 1302}/{@code 1303} (this account's concurrency or frequency cap) or {@code 1305}/{@code 1312}
 * (the platform is overloaded). Retried with backoff; the client also lowers its in-flight limit for the model.
 */
public class RateLimitException extends RetriableGlmException {
    public RateLimitException(String message, int httpStatus, String code, Duration retryAfter) {
        super(message, null, httpStatus, code, retryAfter);
    }

    /** Whether the platform rather than this account is the bottleneck ({@code 1305}, {@code 1312}, 503). */
    public boolean platformOverloaded() {
        return "1305".equals(code()) || "1312".equals(code()) || httpStatus() == 503;
    }
}
