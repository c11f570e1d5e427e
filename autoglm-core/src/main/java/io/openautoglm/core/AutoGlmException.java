package io.openautoglm.core;

/**
 * Root of every exception Open-AutoGLM throws. Unchecked: callers catch what they can act on.
 *
 * <p>{@link #isRetriable()} says whether trying the same thing again may succeed (a rate limit, a
 * timeout) or cannot (bad input, bad configuration, an authentication failure).
 */
public class AutoGlmException extends RuntimeException {
    private final boolean retriable;

    public AutoGlmException(String message) {
        this(message, null, false);
    }

    public AutoGlmException(String message, Throwable cause) {
        this(message, cause, false);
    }

    protected AutoGlmException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether repeating the same call may succeed. */
    public boolean isRetriable() {
        return retriable;
    }
}
