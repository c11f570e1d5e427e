package io.openautoglm.glm;

/** Codes {@code 1300}/{@code 1301}: the content safety filter refused the input. Never retried. */
public class ContentFilterException extends NonRetriableGlmException {
    public ContentFilterException(String message, int httpStatus, String code) {
        super(message, null, httpStatus, code);
    }
}
