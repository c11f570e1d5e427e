package io.openautoglm.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on one optimisation: candidates scored, model calls, tokens, cost and wall time. The optimiser
 * checks them before each candidate (and before each generation call) and stops cleanly at the first one
 * reached, reporting it as the stop reason. Calls, tokens and cost are known only after a candidate
 * is scored, so the last candidate may go past those three; the candidate limit is exact. The starting
 * spec is always scored, whatever the budget.
 *
 * <pre>{@code
 * SearchBudget budget = SearchBudget.builder().maxCandidates(40).maxWallTime(Duration.ofMinutes(5)).build();
 * }</pre>
 *
 * <p>Unset limits are unlimited. Immutable.
 */
public final class SearchBudget {
    private final int maxCandidates;
    private final long maxModelCalls;
    private final long maxTokens;
    private final double maxCost;
    private final Duration maxWallTime;

    private SearchBudget(Builder b) {
        this.maxCandidates = b.maxCandidates;
        this.maxModelCalls = b.maxModelCalls;
        this.maxTokens = b.maxTokens;
        this.maxCost = b.maxCost;
        this.maxWallTime = b.maxWallTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** At most this many candidates, the start included. */
    public static SearchBudget ofCandidates(int maxCandidates) {
        return builder().maxCandidates(maxCandidates).build();
    }

    /** No limits: the optimiser stops on its own criteria. */
    public static SearchBudget unlimited() {
        return builder().build();
    }

    public int maxCandidates() {
        return maxCandidates;
    }

    public long maxModelCalls() {
        return maxModelCalls;
    }

    public long maxTokens() {
        return maxTokens;
    }

    public double maxCost() {
        return maxCost;
    }

    public Duration maxWallTime() {
        return maxWallTime;
    }

    public Builder toBuilder() {
        return new Builder()
                .maxCandidates(maxCandidates)
                .maxModelCalls(maxModelCalls)
                .maxTokens(maxTokens)
                .maxCost(maxCost)
                .maxWallTime(maxWallTime);
    }

    @Override
    public String toString() {
        return "SearchBudget[candidates=" + (maxCandidates == Integer.MAX_VALUE ? "∞" : maxCandidates)
                + ", calls=" + (maxModelCalls == Long.MAX_VALUE ? "∞" : maxModelCalls)
                + ", tokens=" + (maxTokens == Long.MAX_VALUE ? "∞" : maxTokens)
                + ", cost=" + (Double.isInfinite(maxCost) ? "∞" : maxCost)
                + ", wallTime=" + (maxWallTime == null ? "∞" : maxWallTime) + "]";
    }

    /** Builds a {@link SearchBudget}. */
    public static final class Builder {
        private Builder() {}

        private int maxCandidates = Integer.MAX_VALUE;
        private long maxModelCalls = Long.MAX_VALUE;
        private long maxTokens = Long.MAX_VALUE;
        private double maxCost = Double.POSITIVE_INFINITY;
        private Duration maxWallTime;

        public Builder maxCandidates(int n) {
            if (n < 1) {
                throw new IllegalArgumentException(
                        "maxCandidates must be at least 1 (the start is always a " + "candidate), got " + n);
            }
            this.maxCandidates = n;
            return this;
        }

        public Builder maxModelCalls(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxModelCalls must be at least 1, got " + n);
            }
            this.maxModelCalls = n;
            return this;
        }

        public Builder maxTokens(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTokens must be at least 1, got " + n);
            }
            this.maxTokens = n;
            return this;
        }

        /** In the model's price-table currency. */
        public Builder maxCost(double cost) {
            if (!(cost > 0)) {
                throw new IllegalArgumentException("maxCost must be positive, got " + cost);
            }
            this.maxCost = cost;
            return this;
        }

        public Builder maxWallTime(Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException("maxWallTime must be positive, got " + d);
            }
            this.maxWallTime = d;
            return this;
        }

        public SearchBudget build() {
            return new SearchBudget(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchBudget b
                && b.maxCandidates == maxCandidates
                && b.maxModelCalls == maxModelCalls
                && b.maxTokens == maxTokens
                && Double.compare(b.maxCost, maxCost) == 0
                && Objects.equals(b.maxWallTime, maxWallTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxCandidates, maxModelCalls, maxTokens, maxCost, maxWallTime);
    }
}
