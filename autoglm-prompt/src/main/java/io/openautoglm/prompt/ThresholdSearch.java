package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import io.openautoglm.prompt.internal.Knobs;
import io.openautoglm.prompt.internal.Scoring;
import io.openautoglm.prompt.internal.Search;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the decision threshold of a matching spec on dev: the task option ({@code threshold} by default)
 * that a model compares its similarity with.
 *
 * <p>A grid over {@link Builder#range} is scored first, then finer grids around the best value, for
 * {@link Builder#refinements} rounds. Every value is scored for real, as a candidate spec with the option
 * set, because a model's reported match score need not be on the option's scale (the local engine, for
 * one, reports similarity mapped so that its threshold sits at 0.5). With an embedding cache each
 * candidate costs little more than the comparison itself.
 *
 * <pre>{@code
 * ThresholdSearch thresholds = ThresholdSearch.builder().model(model).range(0.5, 1.0).build();
 * OptimizationResult r = thresholds.optimize(start, train, dev, SearchBudget.ofCandidates(40));
 * String t = r.bestSpec().options().get("threshold");
 * }</pre>
 *
 * <p>Semantic matching only. Immutable and thread-safe.
 */
public final class ThresholdSearch implements PromptOptimizer {
    public static final String NAME = "threshold";

    private final Scoring scoring;
    private final String option;
    private final double low;
    private final double high;
    private final int steps;
    private final int refinements;

    private ThresholdSearch(Builder b) {
        this.scoring = b.scoring();
        this.option = b.option;
        this.low = b.low;
        this.high = b.high;
        this.steps = b.steps;
        this.refinements = b.refinements;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        if (start.taskType() != TaskType.SEMANTIC_MATCHING) {
            throw new IllegalArgumentException(
                    "threshold search needs a SEMANTIC_MATCHING spec, got " + start.taskType());
        }
        Search search = new Search(NAME, scoring, start, train, dev, budget, 0);
        search.scoreStart(
                start,
                "start"
                        + (start.options().containsKey(option)
                                ? " (" + option + " " + start.options().get(option) + ")"
                                : ""));
        double step = (high - low) / (steps - 1);
        List<Double> grid = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            grid.add(low + i * step);
        }
        double bestValue = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int round = 0; round <= refinements && !search.stopped(); round++) {
            for (double value : grid) {
                String text = String.format(Locale.ROOT, "%.4f", value);
                var c = search.score(
                        start.withOption(option, text),
                        option + " = " + text + (round == 0 ? "" : " (refinement " + round + ")"));
                if (c.isEmpty()) {
                    break;
                }
                if (c.get().score() > bestScore) {
                    bestScore = c.get().score();
                    bestValue = value;
                }
            }
            step /= 4;
            grid = new ArrayList<>();
            for (int k = -2; k <= 2; k++) {
                double v = bestValue + k * step;
                if (k != 0 && v >= low - 1e-12 && v <= high + 1e-12) {
                    grid.add(v);
                }
            }
        }
        return search.finish(StopReason.EXHAUSTED);
    }

    /** Builds a {@link ThresholdSearch}. Only the model is required. */
    public static final class Builder extends ScoringBuilder<Builder> {
        Builder() {
            super(32);
        }

        private String option = "threshold";
        private double low = 0.05;
        private double high = 0.95;
        private int steps = 19;
        private int refinements = 2;

        /** {@link Objective#POSITIVE_F1} (default) or {@link Objective#ACCURACY}. */
        @Override
        public Builder objective(Objective objective) {
            if (objective != null && objective != Objective.POSITIVE_F1 && objective != Objective.ACCURACY) {
                throw new IllegalArgumentException(
                        "objective: threshold search maximises POSITIVE_F1 or ACCURACY, " + "got " + objective);
            }
            return super.objective(objective);
        }

        /** The task option that holds the threshold; default {@code threshold}. */
        public Builder option(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("option must name a task option, got '" + name + "'");
            }
            this.option = name;
            return this;
        }

        /** The values the first grid spans, ends included; default 0.05 to 0.95. */
        public Builder range(double low, double high) {
            if (!(low < high) || Double.isInfinite(low) || Double.isInfinite(high)) {
                throw new IllegalArgumentException(
                        "range: low must be below high, both finite, got " + low + " and " + high);
            }
            this.low = low;
            this.high = high;
            return this;
        }

        /** Values in the first grid; default 19. */
        public Builder steps(int n) {
            this.steps = Knobs.atLeast("steps", n, 2);
            return this;
        }

        /** Rounds of a four times finer grid around the best value; default 2. */
        public Builder refinements(int n) {
            this.refinements = Knobs.atLeast("refinements", n, 0);
            return this;
        }

        public ThresholdSearch build() {
            return new ThresholdSearch(this);
        }
    }
}
