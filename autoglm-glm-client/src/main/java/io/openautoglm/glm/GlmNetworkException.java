package io.openautoglm.glm;

/**
 * No usable answer came: the connection failed or was reset, a timeout passed, or a stream stopped before its
 * end. Retried, except for a stream that had already handed deltas to the caller (see
 * {@link GlmClient#chatStream}).
 */
public class GlmNetworkException extends RetriableGlmException {
    private final String partialContent;

    public GlmNetworkException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public GlmNetworkException(String message, Throwable cause, String partialContent) {
        super(message, cause, 0, null, null);
        this.partialContent = partialContent;
    }

    /** The content a cut stream had delivered before it stopped, or {@code null}. */
    public String partialContent() {
        return partialContent;
    }
}
