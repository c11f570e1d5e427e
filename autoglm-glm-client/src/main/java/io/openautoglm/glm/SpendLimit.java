package io.openautoglm.glm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A spending cap in cost (price-table currency) and/or tokens. Once spent, the client sends no further calls
 * and throws {@link SpendLimitExceededException}; the provider turns the records left into failures with reason
 * "budget exhausted", so a run ends cleanly with nothing lost. Calls already in flight when the cap is reached
 * still finish and are counted, so the final spend may pass the cap by at most their cost.
 *
 * <p>Thread-safe and shareable: one budget may cap several clients or runs.
 *
 * <pre>{@code
 * SpendLimit budget = SpendLimit.ofCost(20.0);          // 20 CNY with the default price table
 * GlmClient client = GlmClient.builder().budget(budget).build();
 * }</pre>
 */
public final class SpendLimit {
    private final double maxCost;
    private final long maxTokens;
    /** The spent cost as the bits of a double: rounded to micro-units, calls of a few tokens added nothing. */
    private final AtomicLong spentCostBits = new AtomicLong(Double.doubleToLongBits(0.0));

    private final AtomicLong spentTokens = new AtomicLong();

    private SpendLimit(double maxCost, long maxTokens) {
        if (!(maxCost > 0)) {
            throw new IllegalArgumentException("maxCost: must be positive (or unlimited), got " + maxCost);
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens: must be positive (or unlimited), got " + maxTokens);
        }
        this.maxCost = maxCost;
        this.maxTokens = maxTokens;
    }

    /** A cap on cost only. */
    public static SpendLimit ofCost(double maxCost) {
        return new SpendLimit(maxCost, Long.MAX_VALUE);
    }

    /** A cap on tokens (prompt plus completion) only. */
    public static SpendLimit ofTokens(long maxTokens) {
        return new SpendLimit(Double.POSITIVE_INFINITY, maxTokens);
    }

    /** A cap on both; whichever is reached first ends spending. */
    public static SpendLimit of(double maxCost, long maxTokens) {
        return new SpendLimit(maxCost, maxTokens);
    }

    /** Adds a finished call's spend. */
    public void record(long tokens, double cost) {
        spentTokens.addAndGet(tokens);
        spentCostBits.accumulateAndGet(
                Double.doubleToLongBits(cost),
                (sum, add) -> Double.doubleToLongBits(Double.longBitsToDouble(sum) + Double.longBitsToDouble(add)));
    }

    /** Whether the cap is reached. */
    public boolean exhausted() {
        return spentTokens.get() >= maxTokens || spentCost() >= maxCost;
    }

    public double spentCost() {
        return Double.longBitsToDouble(spentCostBits.get());
    }

    public long spentTokens() {
        return spentTokens.get();
    }

    public double maxCost() {
        return maxCost;
    }

    public long maxTokens() {
        return maxTokens;
    }

    @Override
    public String toString() {
        return String.format(
                "SpendLimit[cost %.4f of %s, tokens %d of %s]",
                spentCost(),
                Double.isInfinite(maxCost) ? "unlimited" : String.valueOf(maxCost),
                spentTokens(),
                maxTokens == Long.MAX_VALUE ? "unlimited" : String.valueOf(maxTokens));
    }
}
