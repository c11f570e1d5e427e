package io.openautoglm.glm;

import io.openautoglm.core.AutoGlmException;
import java.time.Duration;
import java.util.Optional;

/**
 * Root of every exception the GLM client throws. Unchecked. {@link #isRetriable()} tells whether the same
 * call may succeed later: {@link RetriableGlmException} (rate limits, overload, 5xx, network trouble) or
 * {@link NonRetriableGlmException} (authentication, bad request, content filter, no balance, quota).
 *
 * <p>Messages carry the HTTP status, the GLM business code and the server's message with any API key or
 * token masked; they never contain a credential. Immutable, so safe to share between threads.
 */
public class GlmException extends AutoGlmException {
    private final int httpStatus;
    private final String code;
    private final Duration retryAfter;

    protected GlmException(
            String message, Throwable cause, boolean retriable, int httpStatus, String code, Duration retryAfter) {
        super(message, cause, retriable);
        this.httpStatus = httpStatus;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, or 0 when no response came (a reset, a timeout, a stream cut). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The GLM business code such as {@code 1302}, or {@code null} when the server sent none. */
    public String code() {
        return code;
    }

    /** The server's {@code Retry-After}, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
