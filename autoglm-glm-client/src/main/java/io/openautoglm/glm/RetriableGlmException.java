package io.openautoglm.glm;

import java.time.Duration;

/** A failure that may go away if the same call is made again later: 5xx, {@code 1200/1230/1234}, network errors. */
public class RetriableGlmException extends GlmException {
    public RetriableGlmException(String message, Throwable cause, int httpStatus, String code, Duration retryAfter) {
        super(message, cause, true, httpStatus, code, retryAfter);
    }
}
