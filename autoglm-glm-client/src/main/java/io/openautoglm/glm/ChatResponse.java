package io.openautoglm.glm;

import java.util.List;

/**
 * A chat completion: the first choice's answer, why it stopped, the tokens used and what they cost by the
 * client's {@link PriceTable}. A streamed call returns the same type, assembled from its deltas.
 *
 * @param id               the server's completion id, or {@code null}
 * @param requestId        the request id the server echoed, or {@code null}
 * @param created          Unix seconds, or 0 when absent
 * @param model            the model that answered
 * @param content          the answer text (empty, never {@code null}, when the model only called tools)
 * @param reasoningContent the "thinking" text of reasoning models, or {@code null}
 * @param toolCalls        the tool calls asked for, possibly empty
 * @param finishReason     why it stopped, or {@code null} when the server did not say
 * @param finishReasonRaw  the server's string for it
 * @param usage            the tokens used
 * @param cost             the cost in the price table's currency
 * @param endpoint         the name of the endpoint that answered
 */
public record ChatResponse(
        String id,
        String requestId,
        long created,
        String model,
        String content,
        String reasoningContent,
        List<ToolCall> toolCalls,
        FinishReason finishReason,
        String finishReasonRaw,
        TokenUsage usage,
        double cost,
        String endpoint) {
    public ChatResponse {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? TokenUsage.NONE : usage;
    }
}
