package io.openautoglm.glm;

import java.util.Locale;

/** Why the model stopped, as GLM's {@code finish_reason} says. */
public enum FinishReason {
    /** A natural end or a stop word. */
    STOP,
    /** {@code max_tokens} was reached: the answer is cut. */
    LENGTH,
    /** The model called a tool; the content may be empty. */
    TOOL_CALLS,
    /** The content-safety filter stopped the answer. */
    SENSITIVE,
    /** Inference failed part-way; the answer is incomplete and the call worth repeating. */
    NETWORK_ERROR,
    /** The conversation no longer fits the model's context window. */
    MODEL_CONTEXT_WINDOW_EXCEEDED,
    /** A value this client does not know; {@link ChatResponse#finishReasonRaw()} has it. */
    OTHER;

    /** Reads GLM's string; {@code null} stays {@code null}, unknown values become {@link #OTHER}. */
    public static FinishReason of(String wire) {
        if (wire == null || wire.isEmpty()) {
            return null;
        }
        try {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return OTHER;
        }
    }

    /** Whether the answer is complete and usable as it is. */
    public boolean complete() {
        return this == STOP || this == TOOL_CALLS;
    }
}
