package io.openautoglm.glm;

/**
 * One chunk of a streamed answer. Text fields hold only what this chunk adds and are {@code null} when it adds
 * nothing. The last chunk carries {@code finishReason} and {@code usage}.
 */
public record ChatDelta(
        String role,
        String content,
        String reasoningContent,
        FinishReason finishReason,
        String finishReasonRaw,
        TokenUsage usage) {

    public boolean isLast() {
        return finishReason != null;
    }
}
