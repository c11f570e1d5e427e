package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.prompt.internal.Knobs;
import io.openautoglm.prompt.internal.Scoring;
import io.openautoglm.prompt.internal.Search;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses which labelled examples a spec carries as demonstrations (shown in a generative prompt, or the
 * training set of a few-shot head), by bootstrapped random search as in DSPy's
 * {@code BootstrapFewShotWithRandomSearch}.
 *
 * <p>A pool of up to {@link Builder#poolPerClass} training records per class is drawn with the seed. The
 * starting spec is run over the pool once; the records it gets right are the <em>bootstrapped</em> pool
 * (examples the model already reads as their label, which tend to be prototypical). Then each trial
 * draws {@code k} per class, the first from the bootstrapped pool by confidence, later ones at random,
 * alternating between the bootstrapped and the plain labelled pool, and scores the spec with them on dev.
 * The best set wins; the start (with its own demonstrations, perhaps none) is always a candidate.
 *
 * <pre>{@code
 * DemonstrationSelection selection = DemonstrationSelection.builder()
 *         .model(model).perClass(8).trials(24).seed(1).build();
 * OptimizationResult result = selection.optimize(start, train, dev, SearchBudget.unlimited());
 * }</pre>
 *
 * <p>Classification and matching (classes {@code 1}/{@code 0}); for NER, {@code k} records in all. Immutable
 * and thread-safe; each {@code optimize} call is independent.
 */
public final class DemonstrationSelection implements PromptOptimizer {
    private static final Logger LOG = LoggerFactory.getLogger(DemonstrationSelection.class);
    public static final String NAME = "demonstrations";

    private final Scoring scoring;
    private final long seed;
    private final int perClass;
    private final int trials;
    private final int poolPerClass;
    private final boolean bootstrap;

    private DemonstrationSelection(Builder b) {
        this.scoring = b.scoring();
        this.seed = b.seed;
        this.perClass = b.perClass;
        this.trials = b.trials;
        this.poolPerClass = b.poolPerClass;
        this.bootstrap = b.bootstrap;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The demonstrations random selection would give: {@code k} per class drawn from the training data with
     * the seed, exactly as the first random trial of the search draws them from its pool. For baselines.
     */
    public static List<TextRecord> randomDemonstrations(Dataset train, int perClass, long seed) {
        Map<String, List<TextRecord>> byClass = byClass(train.toList());
        Random random = new Random(seed);
        Map<String, List<TextRecord>> chosen = new LinkedHashMap<>();
        byClass.forEach((label, records) -> {
            List<TextRecord> copy = new ArrayList<>(records);
            Collections.shuffle(copy, random);
            chosen.put(label, copy.subList(0, Math.min(perClass, copy.size())));
        });
        return interleave(chosen, random);
    }

    @Override
    public OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        Search search = new Search(NAME, scoring, start, train, dev, budget, seed);
        search.scoreStart(start, "start (" + start.demonstrations().size() + " demonstrations)");
        Random random = new Random(seed);

        Map<String, List<TextRecord>> pool = new LinkedHashMap<>();
        byClass(train.toList()).forEach((label, records) -> {
            List<TextRecord> copy = new ArrayList<>(records);
            Collections.shuffle(copy, random);
            pool.put(label, List.copyOf(copy.subList(0, Math.min(poolPerClass, copy.size()))));
        });
        pool.forEach((label, records) -> {
            if (records.size() < perClass) {
                LOG.warn(
                        "{}: class '{}' has only {} training records for {} per class",
                        NAME,
                        label,
                        records.size(),
                        perClass);
            }
        });
        Map<String, List<TextRecord>> boot =
                bootstrap && start.taskType() != TaskType.NAMED_ENTITY_RECOGNITION && search.mayGenerate()
                        ? bootstrapPool(start, pool, search)
                        : Map.of();

        for (int t = 0; t < trials; t++) {
            boolean fromBoot =
                    !boot.isEmpty() && t % 2 == 0 && boot.values().stream().allMatch(l -> l.size() >= perClass);
            Map<String, List<TextRecord>> source = fromBoot ? boot : pool;
            Map<String, List<TextRecord>> chosen = new LinkedHashMap<>();
            for (Map.Entry<String, List<TextRecord>> e : source.entrySet()) {
                List<TextRecord> list = e.getValue();
                if (!(fromBoot && t == 0)) {
                    list = new ArrayList<>(list);
                    Collections.shuffle(list, random);
                }
                chosen.put(e.getKey(), list.subList(0, Math.min(perClass, list.size())));
            }
            List<TextRecord> demos = interleave(chosen, random);
            String note =
                    (fromBoot ? (t == 0 ? "bootstrapped, most confident" : "bootstrapped, random") : "labelled, random")
                            + " set " + t + ": " + demos.size() + " demonstrations";
            if (search.score(start.withDemonstrations(demos), note).isEmpty()) {
                break;
            }
        }
        return search.finish(StopReason.EXHAUSTED);
    }

    /** The pool records the start predicts correctly, most confident first. */
    private Map<String, List<TextRecord>> bootstrapPool(
            PromptSpec start, Map<String, List<TextRecord>> pool, Search search) {
        List<TextRecord> all = new ArrayList<>();
        pool.values().forEach(all::addAll);
        PipelineResult run;
        try (TaskPipeline pipeline = start.applyTo(TaskPipeline.builder().model(scoring.model()))
                .batchSize(scoring.batchSize())
                .concurrency(scoring.concurrency())
                .build()) {
            run = pipeline.run(Dataset.of("bootstrap-pool", all));
        } catch (RuntimeException e) {
            LOG.warn("{}: bootstrapping failed, drawing from labelled records only: {}", NAME, e.toString());
            return Map.of();
        }
        search.charge(run.usage());
        Map<String, List<Map.Entry<TextRecord, Double>>> right = new LinkedHashMap<>();
        pool.keySet().forEach(k -> right.put(k, new ArrayList<>()));
        for (RecordResult r : run.results()) {
            TextRecord original = all.get((int) r.index());
            Double confidence = correctConfidence(original, r.prediction());
            if (confidence != null) {
                right.get(classOf(original)).add(Map.entry(original, confidence));
            }
        }
        Map<String, List<TextRecord>> boot = new LinkedHashMap<>();
        right.forEach((label, list) -> {
            list.sort(Map.Entry.<TextRecord, Double>comparingByValue(Comparator.reverseOrder()));
            boot.put(label, list.stream().map(Map.Entry::getKey).toList());
        });
        LOG.info(
                "{}: bootstrapped pool {}",
                NAME,
                boot.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().size())
                        .toList());
        return boot;
    }

    /** The model's confidence when it got the record right, else null. */
    private static Double correctConfidence(TextRecord gold, Prediction p) {
        if (p instanceof Prediction.Classification c) {
            return c.label().equals(gold.label()) ? c.score() : null;
        }
        if (p instanceof Prediction.Match m) {
            Boolean g = gold.goldMatch();
            if (g == null) {
                return null;
            }
            return m.matched() == g ? (g ? m.score() : 1 - m.score()) : null;
        }
        return null;
    }

    private static String classOf(TextRecord r) {
        return r.label() == null ? "*" : r.label();
    }

    private static Map<String, List<TextRecord>> byClass(List<TextRecord> records) {
        Map<String, List<TextRecord>> by = new java.util.TreeMap<>();
        for (TextRecord r : records) {
            if (r.isValid() && (r.label() != null || r.entities() != null)) {
                by.computeIfAbsent(classOf(r), k -> new ArrayList<>()).add(r);
            }
        }
        return by;
    }

    /** Classes alternate, so that a prompt never shows a long run of one label. */
    private static List<TextRecord> interleave(Map<String, List<TextRecord>> chosen, Random random) {
        List<TextRecord> out = new ArrayList<>();
        int max = chosen.values().stream().mapToInt(List::size).max().orElse(0);
        List<String> order = new ArrayList<>(chosen.keySet());
        for (int i = 0; i < max; i++) {
            Collections.shuffle(order, random);
            for (String label : order) {
                if (i < chosen.get(label).size()) {
                    out.add(chosen.get(label).get(i));
                }
            }
        }
        return out;
    }

    /** Builds a {@link DemonstrationSelection}. Only the model is required. */
    public static final class Builder extends ScoringBuilder<Builder> {
        Builder() {
            super(32);
        }

        private long seed = 42;
        private int perClass = 4;
        private int trials = 16;
        private int poolPerClass = 100;
        private boolean bootstrap = true;

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Demonstrations per class, {@code k}; default 4. */
        public Builder perClass(int k) {
            this.perClass = Knobs.atLeast("perClass", k, 1);
            return this;
        }

        /** Demonstration sets tried, besides the start; default 16. */
        public Builder trials(int n) {
            this.trials = Knobs.atLeast("trials", n, 1);
            return this;
        }

        /** Training records per class drawn into the pool; default 100. */
        public Builder poolPerClass(int n) {
            this.poolPerClass = Knobs.atLeast("poolPerClass", n, 1);
            return this;
        }

        /** Whether to bootstrap (draw from records the start gets right) on every other trial; default true. */
        public Builder bootstrap(boolean bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        public DemonstrationSelection build() {
            if (poolPerClass < perClass) {
                throw new IllegalArgumentException(
                        "poolPerClass (" + poolPerClass + ") must be at least perClass (" + perClass + ")");
            }
            return new DemonstrationSelection(this);
        }
    }
}
