package io.openautoglm.glm;

/** HTTP 400/404 or codes {@code 1210-1215}, {@code 1221}, {@code 1222}, {@code 1231}: the request itself is wrong. */
public class InvalidRequestException extends NonRetriableGlmException {
    public InvalidRequestException(String message, int httpStatus, String code) {
        super(message, null, httpStatus, code);
    }
}
