package io.openautoglm.core;

import java.time.Duration;

/**
 * What a run consumed: model calls, tokens, cost in the price table's currency, and wall time.
 * Local models count calls (forward passes) and tokens too, at zero cost.
 */
public record Usage(long calls, long promptTokens, long completionTokens, double cost, Duration elapsed) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, Duration.ZERO);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    @Override
    public String toString() {
        return String.format(
                "calls=%d tokens=%d (prompt %d, completion %d) cost=%.4f elapsed=%.1fs",
                calls, totalTokens(), promptTokens, completionTokens, cost, elapsed.toMillis() / 1000.0);
    }
}
