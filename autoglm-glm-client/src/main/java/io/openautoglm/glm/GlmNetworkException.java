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

    /**
     * The content a cut stream had handed to its consumer before it stopped (possibly empty, when only reasoning had
     * arrived), or {@code null} when nothing had reached the consumer: such a call was already repeated by the
     * client as its retry policy allows.
     */
    public String partialContent() {
        return partialContent;
    }
}
