package io.openautoglm.glm;

/** The client's own {@link SpendLimit} is spent: the call was not sent. Not retried. */
public class SpendLimitExceededException extends NonRetriableGlmException {
    public SpendLimitExceededException(String message) {
        super(message, null, 0, null);
    }
}
