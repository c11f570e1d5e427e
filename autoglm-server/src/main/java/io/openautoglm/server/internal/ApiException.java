package io.openautoglm.server.internal;

import java.time.Duration;

/** An error answer: its code, a message that says what and why, and for 429/503 how long to wait. */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Duration retryAfter;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ApiException(ErrorCode code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    /** How long to wait before retrying, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
