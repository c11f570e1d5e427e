package io.openautoglm.gnn;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a search may spend: trials (architecture search plus tuning) and wall time (the whole fit,
 * final retraining included). Whichever runs out first ends the search.
 *
 * <pre>{@code
 * TrialBudget b = TrialBudget.builder().maxTrials(200).maxWallTime(Duration.ofMinutes(20)).build();
 * }</pre>
 *
 * @param maxTrials trials for architecture search and hyper-parameter tuning together
 * @param maxWallTime wall time for the whole {@link AutoGnn#fit(Graph)}
 * @param tuningShare share of trials and time given to hyper-parameter tuning of the best architectures
 */
public record TrialBudget(int maxTrials, Duration maxWallTime, double tuningShare) {

    public TrialBudget {
        Objects.requireNonNull(maxWallTime, "maxWallTime");
        if (maxTrials < 1) {
            throw new IllegalArgumentException("maxTrials must be >= 1, was " + maxTrials);
        }
        if (maxWallTime.isNegative() || maxWallTime.isZero()) {
            throw new IllegalArgumentException("maxWallTime must be positive, was " + maxWallTime);
        }
        if (!(tuningShare >= 0 && tuningShare < 1)) {
            throw new IllegalArgumentException("tuningShare must be in [0, 1), was " + tuningShare);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; defaults: 100 trials, 20 minutes, 40 % of trials and time for tuning. Not thread-safe. */
    public static final class Builder {
        private int maxTrials = 100;
        private Duration maxWallTime = Duration.ofMinutes(20);
        private double tuningShare = 0.4;

        private Builder() {}

        public Builder maxTrials(int v) {
            this.maxTrials = v;
            return this;
        }

        public Builder maxWallTime(Duration v) {
            this.maxWallTime = v;
            return this;
        }

        public Builder tuningShare(double v) {
            this.tuningShare = v;
            return this;
        }

        public TrialBudget build() {
            return new TrialBudget(maxTrials, maxWallTime, tuningShare);
        }
    }
}
