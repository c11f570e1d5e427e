package io.openautoglm.glm;

import java.time.Duration;

/** A 5xx answer, or business code {@code 1120/1200/1230/1234}: the server failed; retried. */
public class ServerException extends RetriableGlmException {
    public ServerException(String message, int httpStatus, String code, Duration retryAfter) {
        super(message, null, httpStatus, code, retryAfter);
    }
}
