package io.openautoglm.glm;

/** The client's own {@link Budget} is spent: the call was not sent. Not retried. */
public class BudgetExhaustedException extends NonRetriableGlmException {
    public BudgetExhaustedException(String message) {
        super(message, null, 0, null);
    }
}
