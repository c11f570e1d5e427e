package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Prf;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.Model;
import io.openautoglm.prompt.internal.Knobs;
import io.openautoglm.prompt.internal.Scoring;
import io.openautoglm.prompt.internal.Search;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Chooses the decision threshold of a matching spec on dev: the task option ({@code threshold} by default)
 * that a model compares its match score with.
 *
 * <p>The start is scored on dev once; from its match scores the objective is computed for every cut
 * between two neighbouring scores, and the best few cuts are then scored for real, each as a candidate
 * spec with the option set, so the trajectory holds measured numbers only. Models whose score is not
 * what they compare with the option simply fail to improve, and the start stays best.
 *
 * <pre>{@code
 * ThresholdSearch thresholds = ThresholdSearch.builder().model(model).build();
 * OptimizationResult r = thresholds.optimize(start, train, dev, Budget.ofCandidates(6));
 * String t = r.bestSpec().options().get("threshold");
 * }</pre>
 *
 * <p>Semantic matching only. Immutable and thread-safe.
 */
public final class ThresholdSearch implements PromptOptimizer {
    public static final String NAME = "threshold";

    private final Scoring scoring;
    private final String option;
    private final int verified;

    private ThresholdSearch(Builder b) {
        this.scoring = new Scoring(b.model, b.objective, b.batchSize, b.concurrency, b.clock);
        this.option = b.option;
        this.verified = b.verified;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, Budget budget) {
        if (start.taskType() != TaskType.SEMANTIC_MATCHING) {
            throw new IllegalArgumentException("threshold search needs a SEMANTIC_MATCHING spec, got "
                    + start.taskType());
        }
        Search search = new Search(NAME, scoring, start, train, dev, budget, 0);
        search.scoreStart(start, "start" + (start.options().containsKey(option)
                ? " (" + option + " " + start.options().get(option) + ")" : ""));
        PipelineResult run = search.lastRun();
        List<double[]> scored = new ArrayList<>();
        for (RecordResult r : run.results()) {
            if (r.prediction() instanceof Prediction.Match m && r.record().label() != null) {
                String l = r.record().label().strip().toLowerCase(Locale.ROOT);
                scored.add(new double[] {m.score(), l.equals("1") || l.equals("true") || l.equals("yes") ? 1 : 0});
            }
        }
        TreeSet<Double> distinct = new TreeSet<>();
        scored.forEach(s -> distinct.add(s[0]));
        List<Double> cuts = new ArrayList<>();
        Double prev = null;
        for (Double s : distinct) {
            if (prev != null) {
                cuts.add((prev + s) / 2);
            }
            prev = s;
        }
        List<double[]> ranked = new ArrayList<>();
        for (double cut : cuts) {
            ranked.add(new double[] {cut, objectiveAt(scored, cut, search.objective())});
        }
        ranked.sort(Comparator.comparingDouble((double[] a) -> -a[1]).thenComparingDouble(a -> a[0]));
        int tried = 0;
        for (double[] r : ranked) {
            if (tried == verified) {
                break;
            }
            String value = String.format(Locale.ROOT, "%.6f", r[0]);
            tried++;
            if (search.score(start.withOption(option, value), option + " = " + value + String.format(Locale.ROOT,
                    " (expected %.4f)", r[1])).isEmpty()) {
                break;
            }
        }
        return search.finish(StopReason.EXHAUSTED);
    }

    private static double objectiveAt(List<double[]> scored, double cut, Objective objective) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (double[] s : scored) {
            boolean p = s[0] >= cut;
            boolean g = s[1] == 1;
            if (p && g) {
                tp++;
            } else if (p) {
                fp++;
            } else if (g) {
                fn++;
            } else {
                tn++;
            }
        }
        return objective == Objective.ACCURACY ? (double) (tp + tn) / Math.max(1, scored.size()) : Prf.of(tp, fp, fn).f1();
    }

    /** Builds a {@link ThresholdSearch}. Only the model is required. */
    public static final class Builder {
        private Model model;
        private Objective objective;
        private int batchSize = 32;
        private int concurrency = Knobs.defaultConcurrency();
        private Clock clock = Clock.systemUTC();
        private String option = "threshold";
        private int verified = 5;

        /** The open model candidates are scored on; stays the caller's to close. */
        public Builder model(Model model) { this.model = Objects.requireNonNull(model, "model"); return this; }

        /** {@link Objective#POSITIVE_F1} (default) or {@link Objective#ACCURACY}. */
        public Builder objective(Objective objective) {
            if (objective != null && objective != Objective.POSITIVE_F1 && objective != Objective.ACCURACY) {
                throw new IllegalArgumentException("objective: threshold search maximises POSITIVE_F1 or ACCURACY, "
                        + "got " + objective);
            }
            this.objective = objective;
            return this;
        }

        public Builder batchSize(int n) { this.batchSize = Knobs.atLeast("batchSize", n, 1); return this; }

        public Builder concurrency(int n) { this.concurrency = Knobs.atLeast("concurrency", n, 1); return this; }

        /** The clock wall-time budgets are measured with; for tests. */
        public Builder clock(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); return this; }

        /** The task option that holds the threshold; default {@code threshold}. */
        public Builder option(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("option must name a task option, got '" + name + "'");
            }
            this.option = name;
            return this;
        }

        /** The best computed cuts that are then scored for real; default 5. */
        public Builder verified(int n) { this.verified = Knobs.atLeast("verified", n, 1); return this; }

        public ThresholdSearch build() {
            if (model == null) {
                throw new IllegalArgumentException("model must be set: the open model candidates are scored on");
            }
            return new ThresholdSearch(this);
        }
    }
}
