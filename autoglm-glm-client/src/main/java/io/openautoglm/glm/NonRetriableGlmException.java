package io.openautoglm.glm;

/** A failure that repeating the same call cannot fix: a bad request, refused credentials, an empty account. */
public class NonRetriableGlmException extends GlmException {
    public NonRetriableGlmException(String message, Throwable cause, int httpStatus, String code) {
        super(message, cause, false, httpStatus, code, null);
    }
}
