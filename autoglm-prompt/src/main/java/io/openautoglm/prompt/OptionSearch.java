package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.Usage;
import io.openautoglm.prompt.internal.Knobs;
import io.openautoglm.prompt.internal.Scoring;
import io.openautoglm.prompt.internal.Search;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses task options on dev: every combination of the candidate values given per option (a grid, in the
 * order the options and values were given, the first option varying slowest) is scored as a candidate spec,
 * and the best is kept. Options are whatever the scoring model reads from {@link PromptSpec#options()}: for
 * the local engine, e.g. {@code method} ({@code threshold} or {@code head}), {@code l2}, {@code calibrate}.
 *
 * <p>Some options only work with labelled examples (the local engine's trained matching head needs
 * training pairs), so {@link Builder#demonstrations(int)} can give every candidate a seeded sample of up to
 * that many labelled training records as its demonstrations; the start keeps its own. The start is scored
 * first, so the result is never worse than it on dev.
 *
 * <p>Options interact (a head's {@code l2} means nothing to a cosine threshold; a threshold on one
 * method's scale is wrong for another), which is why the combinations are scored jointly rather than one
 * option at a time; keep the grid small. A decision threshold belongs to the method it cuts, so with
 * {@link Builder#refineEach} every combination is first refined by another optimiser, such as a
 * {@link ThresholdSearch} on dev, and the combinations are compared at their refined best:
 *
 * <pre>{@code
 * OptimizationResult r = OptionSearch.builder().model(model)
 *         .option("method", List.of("threshold", "head"))
 *         .option("l2", List.of("0.3", "1"))
 *         .demonstrations(4000).seed(7)
 *         .refineEach(ThresholdSearch.builder().model(model).steps(10).refinements(1).build())
 *         .build()
 *         .optimize(start, train, dev, SearchBudget.ofCandidates(100));
 * }</pre>
 *
 * <p>Any task type. Immutable and thread-safe; each {@code optimize} call is independent.
 */
public final class OptionSearch implements PromptOptimizer {
    public static final String NAME = "options";
    private static final Logger LOG = LoggerFactory.getLogger(OptionSearch.class);

    private final Scoring scoring;
    private final Map<String, List<String>> values;
    private final int demonstrations;
    private final long seed;
    private final PromptOptimizer refiner;

    private OptionSearch(Builder b) {
        this.scoring = b.scoring();
        if (b.values.isEmpty()) {
            throw new IllegalArgumentException("option: give at least one task option with candidate values, e.g. "
                    + ".option(\"method\", List.of(\"threshold\", \"head\"))");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        b.values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.values = Collections.unmodifiableMap(copy);
        this.demonstrations = b.demonstrations;
        this.seed = b.seed;
        this.refiner = b.refiner;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The candidate values per option, in search order. */
    public Map<String, List<String>> values() {
        return values;
    }

    @Override
    public OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        Search search = new Search(NAME, scoring, start, train, dev, budget, seed);
        search.scoreStart(start, "start " + describe(start));
        if (refiner != null) {
            return refineEach(search.finish(StopReason.EXHAUSTED), start, train, dev, budget);
        }
        for (Map.Entry<String, PromptSpec> combination :
                combinations(start, train).entrySet()) {
            if (search.score(combination.getValue(), combination.getKey()).isEmpty()) {
                break;
            }
        }
        return search.finish(StopReason.EXHAUSTED);
    }

    /**
     * Hands every combination to the refiner as its start and joins the trajectories after the start's, like
     * {@link CompositeOptimizer} does for stages, under the one budget.
     */
    private OptimizationResult refineEach(
            OptimizationResult startOnly, PromptSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        List<Candidate> trajectory = new ArrayList<>(startOnly.trajectory());
        Usage used = startOnly.usage();
        int bestIndex = 0;
        StopReason reason = StopReason.EXHAUSTED;
        for (Map.Entry<String, PromptSpec> combination :
                combinations(start, train).entrySet()) {
            SearchBudget left = CompositeOptimizer.remaining(
                    budget, trajectory.size(), used.calls(), used.totalTokens(), used.cost(), used.elapsed());
            if (left == null) {
                break;
            }
            OptimizationResult r;
            try {
                r = refiner.optimize(combination.getValue(), train, dev, left);
            } catch (RuntimeException e) {
                // as without refineEach: a combination that cannot run scores 0, and the search goes on; what its
                // dev run cost is still counted, against the budget too
                LOG.warn("{}: combination {} could not be refined: {}", NAME, combination.getKey(), e.toString());
                Usage spent = e instanceof Search.NothingToScoreException n ? n.usage() : Usage.NONE;
                trajectory.add(new Candidate(
                        trajectory.size(),
                        refiner.name(),
                        combination.getKey() + " (failed: " + e.getMessage() + ")",
                        combination.getValue(),
                        0,
                        spent));
                used = new Usage(
                        used.calls() + spent.calls(),
                        used.promptTokens() + spent.promptTokens(),
                        used.completionTokens() + spent.completionTokens(),
                        used.cost() + spent.cost(),
                        used.elapsed().plus(spent.elapsed()));
                continue;
            }
            if (r.objective() != startOnly.objective()) {
                throw new IllegalArgumentException("refineEach: " + refiner.name() + " maximises " + r.objective()
                        + " but this search maximises " + startOnly.objective() + "; give both the same objective");
            }
            for (Candidate c : r.trajectory()) {
                Candidate moved = new Candidate(
                        trajectory.size(),
                        c.optimizer(),
                        combination.getKey() + ": " + c.note(),
                        c.spec(),
                        c.score(),
                        c.usage());
                trajectory.add(moved);
                if (moved.score() > trajectory.get(bestIndex).score()) {
                    bestIndex = moved.index();
                }
            }
            Usage u = r.usage();
            used = new Usage(
                    used.calls() + u.calls(),
                    used.promptTokens() + u.promptTokens(),
                    used.completionTokens() + u.completionTokens(),
                    used.cost() + u.cost(),
                    used.elapsed().plus(u.elapsed()));
            if (r.stopReason().isBudgetLimit()) {
                reason = r.stopReason();
                break;
            }
        }
        if (!reason.isBudgetLimit()) {
            StopReason hit = CompositeOptimizer.limitHit(
                    budget, trajectory.size(), used.calls(), used.totalTokens(), used.cost(), used.elapsed());
            reason = hit != null ? hit : reason;
        }
        return new OptimizationResult(
                NAME + "+" + refiner.name(),
                startOnly.objective(),
                seed,
                trajectory,
                bestIndex,
                reason,
                used,
                startOnly.base());
    }

    /** Every combination of the option values, in search order, by its note. */
    private Map<String, PromptSpec> combinations(PromptSpec start, Dataset train) {
        PromptSpec base = start;
        String demoNote = "";
        if (demonstrations > 0 && start.demonstrations().isEmpty()) {
            List<TextRecord> sample = sample(train, demonstrations, seed);
            if (!sample.isEmpty()) {
                base = start.withDemonstrations(sample);
                demoNote = " + " + sample.size() + " demonstrations from train";
            }
        }
        Map<String, PromptSpec> out = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(values.keySet());
        int[] index = new int[keys.size()];
        while (true) {
            PromptSpec spec = base;
            StringBuilder note = new StringBuilder();
            for (int k = 0; k < keys.size(); k++) {
                String value = values.get(keys.get(k)).get(index[k]);
                spec = spec.withOption(keys.get(k), value);
                note.append(k == 0 ? "" : ", ").append(keys.get(k)).append('=').append(value);
            }
            out.put(note + demoNote, spec);
            // next combination, the last option varying fastest
            int k = keys.size() - 1;
            while (k >= 0 && ++index[k] == values.get(keys.get(k)).size()) {
                index[k] = 0;
                k--;
            }
            if (k < 0) {
                return out;
            }
        }
    }

    private String describe(PromptSpec spec) {
        StringBuilder s = new StringBuilder("(");
        for (String key : values.keySet()) {
            s.append(s.length() == 1 ? "" : ", ")
                    .append(key)
                    .append('=')
                    .append(spec.options().getOrDefault(key, "default"));
        }
        return s.append(", ")
                .append(spec.demonstrations().size())
                .append(" demonstrations)")
                .toString();
    }

    /** A seeded sample of labelled training records; a plain shuffle keeps the class mix of train. */
    static List<TextRecord> sample(Dataset train, int max, long seed) {
        List<TextRecord> labelled = new ArrayList<>();
        for (TextRecord r : train.toList()) {
            if (r.label() != null) {
                labelled.add(r);
            }
        }
        Collections.shuffle(labelled, new Random(seed));
        return List.copyOf(labelled.subList(0, Math.min(max, labelled.size())));
    }

    /** Builds an {@link OptionSearch}. The model and at least one option are required. */
    public static final class Builder extends ScoringBuilder<Builder> {
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private int demonstrations;
        private long seed = 42;
        private PromptOptimizer refiner;

        Builder() {
            super(32);
        }

        /**
         * A task option and the values to try for it, in order. A single value sets the option on every
         * candidate (e.g. {@code calibrate=f1} when the objective is F1). Calling it again for the same
         * option replaces its values.
         */
        public Builder option(String name, List<String> candidates) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("option: the name must be a task option, got '" + name + "'");
            }
            if (candidates == null
                    || candidates.isEmpty()
                    || candidates.stream().anyMatch(v -> v == null)) {
                throw new IllegalArgumentException(
                        "option " + name + ": give at least one non-null value, got " + candidates);
            }
            values.put(name, List.copyOf(candidates));
            return this;
        }

        /**
         * Gives every candidate up to {@code max} labelled training records (a seeded sample) as its
         * demonstrations, when the start has none; default 0 (candidates keep the start's demonstrations).
         */
        public Builder demonstrations(int max) {
            this.demonstrations = Knobs.atLeast("demonstrations", max, 0);
            return this;
        }

        /** Seed of the demonstration sample; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Refines every combination with this optimiser before they are compared, each combination being its
         * start: with a {@link ThresholdSearch}, each method is compared at its own best threshold on dev
         * rather than at one calibrated on its training data. Candidates multiply (combinations times the
         * refiner's), so keep both small; the budget is shared. Default none.
         */
        public Builder refineEach(PromptOptimizer optimizer) {
            this.refiner = Objects.requireNonNull(optimizer, "refineEach");
            return this;
        }

        public OptionSearch build() {
            return new OptionSearch(this);
        }
    }
}
