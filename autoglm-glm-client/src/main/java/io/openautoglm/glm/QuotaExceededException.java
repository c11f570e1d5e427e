package io.openautoglm.glm;

/** Codes {@code 1304}, {@code 1308}, {@code 1310}, {@code 1313-1321}: a daily, weekly or plan cap is reached. Not retried. */
public class QuotaExceededException extends NonRetriableGlmException {
    public QuotaExceededException(String message, int httpStatus, String code) {
        super(message, null, httpStatus, code);
    }
}
