package io.openautoglm.server.internal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every JSON answer: {@code {"code": 0, "data": …, "message": "ok"}} on success, {@code {"code": <ErrorCode>,
 * "data": null, "message": "<what and why>"}} on error; {@code data} is always present.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Envelope(int code, Object data, String message) {
    public static Envelope ok(Object data) {
        return new Envelope(0, data, "ok");
    }

    public static Envelope error(ErrorCode code, String message) {
        return new Envelope(code.code(), null, message);
    }
}
