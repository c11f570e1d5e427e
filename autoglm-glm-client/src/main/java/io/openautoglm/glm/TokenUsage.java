package io.openautoglm.glm;

/** Tokens one call consumed, as the server reported them. {@code cachedTokens} is part of {@code promptTokens}. */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);
}
