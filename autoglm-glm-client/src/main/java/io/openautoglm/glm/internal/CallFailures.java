package io.openautoglm.glm.internal;

import io.openautoglm.glm.NonRetriableGlmException;

/** The failures a call ends in that do not come from the server: closed, cancelled, interrupted. */
public final class CallFailures {
    private CallFailures() {}

    public static NonRetriableGlmException closed() {
        return new NonRetriableGlmException("this GlmClient is closed", null, 0, null);
    }

    static NonRetriableGlmException cancelled(String model, Throwable cause) {
        return new NonRetriableGlmException("GLM call to " + model + " cancelled", cause, 0, null);
    }

    /** The thread was interrupted while the call waited or read; the interrupt flag is set again. */
    static NonRetriableGlmException interrupted(String model, Exception cause) {
        Thread.currentThread().interrupt();
        return new NonRetriableGlmException("GLM call to " + model + " interrupted", cause, 0, null);
    }
}
