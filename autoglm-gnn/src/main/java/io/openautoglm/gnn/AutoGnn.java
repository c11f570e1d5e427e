package io.openautoglm.gnn;

import io.openautoglm.gnn.internal.Controller;
import io.openautoglm.gnn.internal.TrialRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automated graph learning: measures the graph, derives a search space from its meta-features, searches
 * architectures with a REINFORCE controller (or random search), tunes learning rate, weight decay and
 * dropout of the best ones, and retrains the winner with several seeds.
 *
 * <pre>{@code
 * Graph cora = Graph.fromDirectory(Path.of("../shared/datasets/graph/cora"));
 * AutoGnn auto = AutoGnn.builder()
 *     .task(GnnTask.NODE_CLASSIFICATION)
 *     .budget(TrialBudget.builder().maxTrials(60).maxWallTime(Duration.ofMinutes(10)).build())
 *     .seed(7)
 *     .build();
 * try (AutoGnnResult result = auto.fit(cora)) {
 *   System.out.println(result.bestArchitecture().toJson());
 *   System.out.println(result.testMetrics());
 *   int[] classes = result.model().predict();
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link #fit} call owns its own native memory. The search itself is
 * sequential (the PyTorch engine already uses every core for one model).
 */
public final class AutoGnn {
    private static final Logger LOG = LoggerFactory.getLogger(AutoGnn.class);

    private final GnnTask task;
    private final TrialBudget budget;
    private final SearchStrategy strategy;
    private final long seed;
    private final int finalSeeds;
    private final int tuneTopK;
    private final SearchSpace searchSpace;
    private final LinkDecoder linkDecoder;
    private final long splitSeed;
    private final Path chart;

    private AutoGnn(Builder b) {
        this.task = b.task;
        this.budget = b.budget;
        this.strategy = b.strategy;
        this.seed = b.seed;
        this.finalSeeds = b.finalSeeds;
        this.tuneTopK = b.tuneTopK;
        this.searchSpace = b.searchSpace;
        this.linkDecoder = b.linkDecoder;
        this.splitSeed = b.splitSeed;
        this.chart = b.chart;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs the whole search on the graph. The caller closes the result (it holds the final model). */
    public AutoGnnResult fit(Graph graph) {
        Objects.requireNonNull(graph, "graph");
        if (task == GnnTask.LINK_PREDICTION
                && searchSpace != null
                && searchSpace.selfTraining().stream().anyMatch(r -> r > 0)) {
            throw new IllegalArgumentException(
                    "the search space offers self-training " + searchSpace.selfTraining()
                            + ", which applies to node classification only; use withSelfTraining(List.of(0)) for link prediction");
        }
        if (task == GnnTask.LINK_PREDICTION && searchSpace != null && searchSpace.consistency() > 0) {
            throw new IllegalArgumentException("the search space has consistency " + searchSpace.consistency()
                    + ", which applies to node classification only; use withConsistency(0) for link prediction");
        }
        long start = System.nanoTime();
        // capped at about 73 years, and compared as a difference: a budget of Long.MAX_VALUE nanoseconds or
        // more would overflow, ending the search at once or failing with an arithmetic error
        long budgetNanos = budget.maxWallTime().compareTo(Duration.ofNanos(Long.MAX_VALUE / 4)) > 0
                ? Long.MAX_VALUE / 4
                : budget.maxWallTime().toNanos();
        long deadline = start + budgetNanos;
        MetaFeatures meta = MetaFeatures.of(graph);
        SearchSpace space = searchSpace != null ? searchSpace : SearchSpace.derivedFrom(meta, task);
        LOG.info("AutoGNN on {} ({}): {}", graph, task, meta);
        for (String r : space.rationale()) {
            LOG.info("rule: {}", r);
        }
        String metric = task == GnnTask.NODE_CLASSIFICATION ? "accuracy" : "auc";
        List<Trial> trials = new ArrayList<>();
        Candidate chosen;
        try (TrialRunner runner = new TrialRunner(graph, task, linkDecoder, splitSeed)) {
            Search s = new Search(runner, space, start, deadline, trials);
            s.architectureSearch();
            chosen = s.tune();
        }
        LOG.info(
                "chosen: {} {} (val {} = {})",
                chosen.arch.describe(),
                chosen.hp.describe(),
                metric,
                String.format(java.util.Locale.ROOT, "%.4f", chosen.score));

        List<GnnModel> models = new ArrayList<>();
        Map<String, List<Double>> test = new LinkedHashMap<>();
        List<Double> val = new ArrayList<>();
        double slowestSeed = 0;
        GnnTrainer retrain = GnnTrainer.builder()
                .task(task)
                .architecture(chosen.arch)
                .hyperParameters(chosen.hp)
                .linkDecoder(linkDecoder)
                .splitSeed(splitSeed)
                .build();
        try {
            for (int i = 0; i < finalSeeds; i++) {
                // the wall time includes the final retraining: a seed that would end past the deadline is not
                // started (the first always is: a fit returns a model); a model is never cut short, as a truncated
                // model would be reported as if it were the chosen configuration
                if (i > 0 && passed(System.nanoTime() + (long) (slowestSeed * 1e9), deadline)) {
                    LOG.warn(
                            "final retraining stopped after {} of {} seeds: another would end past the wall-time budget {}",
                            i,
                            finalSeeds,
                            budget.maxWallTime());
                    break;
                }
                long t0 = System.nanoTime();
                GnnModel m = retrain.fit(graph, seed * 1000 + 500 + i);
                slowestSeed = Math.max(slowestSeed, (System.nanoTime() - t0) / 1e9);
                models.add(m);
                val.add(m.report().valScore());
                m.report()
                        .test()
                        .forEach((k, v) ->
                                test.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                LOG.info(
                        "final seed {}: val {} test {}",
                        i,
                        m.report().valScore(),
                        m.report().test());
            }
        } catch (RuntimeException e) {
            models.forEach(GnnModel::close);
            throw e;
        }
        if (passed(System.nanoTime(), deadline)) {
            LOG.warn(
                    "wall-time budget {} exceeded by the final retraining ({} s in all)",
                    budget.maxWallTime(),
                    (System.nanoTime() - start) / 1_000_000_000L);
        }
        GnnModel keep = models.stream()
                .max(Comparator.comparingDouble(m -> m.report().valScore()))
                .orElseThrow();
        models.stream().filter(m -> m != keep).forEach(GnnModel::close);
        List<MetricSummary> summaries = new ArrayList<>();
        test.forEach((k, v) -> summaries.add(MetricSummary.of(k, v)));
        AutoGnnResult result = new AutoGnnResult(
                task,
                strategy,
                meta,
                space,
                trials,
                chosen.arch,
                chosen.hp,
                MetricSummary.of(metric, val),
                summaries,
                keep,
                (System.nanoTime() - start) / 1e9,
                graph.name());
        if (chart != null) {
            try {
                result.writeChart(chart);
            } catch (RuntimeException e) {
                result.close(); // the caller never receives the result, so nobody else would free its model
                throw e;
            }
        }
        return result;
    }

    /** Whether {@code time} is past {@code deadline}, both from {@link System#nanoTime()} (which may wrap). */
    private static boolean passed(long time, long deadline) {
        return time - deadline > 0;
    }

    /** A configuration and its validation score. */
    private record Candidate(Architecture arch, HyperParameters hp, double score) {}

    /** One fit's search state. */
    private final class Search {
        private final TrialRunner runner;
        private final SearchSpace space;
        private final long start;
        private final long deadline;
        private final List<Trial> trials;
        private final Random rnd;
        private double trialSecondsSum;
        private int trialSecondsCount;
        private double incumbentSeconds;

        Search(TrialRunner runner, SearchSpace space, long start, long deadline, List<Trial> trials) {
            this.runner = runner;
            this.space = space;
            this.start = start;
            this.deadline = deadline;
            this.trials = trials;
            this.rnd = new Random(seed ^ 0x51ed);
        }

        private double elapsed() {
            return (System.nanoTime() - start) / 1e9;
        }

        /**
         * Time kept back for the final retraining: seeds × the time of one run × 1.25, at most 40 % of the budget.
         * The winner is likely one of the best trials so far, and those are often slower than the average
         * (attention, width), so one run is estimated by the larger of the mean trial and the mean of the
         * three best, and of the tuning stage's current winner.
         */
        private double reserveSeconds() {
            double mean = trialSecondsCount == 0 ? 0 : trialSecondsSum / trialSecondsCount;
            double top = trials.stream()
                    .sorted(Comparator.comparingDouble(Trial::valScore).reversed())
                    .limit(3)
                    .mapToDouble(t -> t.seconds() / t.seeds())
                    .average()
                    .orElse(0);
            double perRun = Math.max(incumbentSeconds, Math.max(mean, top));
            return Math.min(0.4 * budget.maxWallTime().toSeconds(), finalSeeds * perRun * 1.25);
        }

        private double searchEndSeconds() {
            double usable = budget.maxWallTime().toSeconds() - reserveSeconds();
            return usable * (1 - budget.tuningShare());
        }

        private double tuneEndSeconds() {
            return budget.maxWallTime().toSeconds() - reserveSeconds();
        }

        private HyperParameters defaultHp(Architecture a) {
            // attention layers train better with the GAT paper's smaller step
            double lr = a.operators().contains(Architecture.Operator.GAT) ? 0.005 : 0.01;
            // deep propagation lets a model fit the few labels through many nodes at once; its authors
            // (DAGNN) needed ten times the usual decay or more, and 5e-4 leaves such models overfitted in a first trial
            double wd = a.propagation() > 0 ? space.propagationWeightDecay() : 5e-4;
            return HyperParameters.builder()
                    .learningRate(lr)
                    .weightDecay(wd)
                    .maxEpochs(space.maxEpochs())
                    .patience(space.patience())
                    .checkpoint(space.checkpoint())
                    .selfTraining(space.selfTraining().get(0))
                    .consistency(space.consistency())
                    .build();
        }

        private TrainingReport run(Architecture a, HyperParameters hp, long s) {
            long t0 = System.nanoTime();
            TrainingReport r = runner.run(a, hp, s, () -> passed(System.nanoTime(), deadline));
            trialSecondsSum += (System.nanoTime() - t0) / 1e9;
            trialSecondsCount++;
            return r;
        }

        void architectureSearch() {
            Controller controller = strategy == SearchStrategy.REINFORCE
                    ? Controller.reinforce(space, seed)
                    : Controller.random(space, seed);
            int maxSearch = Math.max(1, (int) Math.round(budget.maxTrials() * (1 - budget.tuningShare())));
            Map<Architecture, Double> seen = new HashMap<>();
            int n = 0;
            while (n < maxSearch && (n == 0 || elapsed() < searchEndSeconds())) {
                boolean isStart = n < space.starts().size();
                Architecture a;
                if (isStart) {
                    a = space.starts().get(n);
                    controller.adopt(a);
                } else {
                    a = controller.propose();
                    int tries = 0;
                    while (seen.containsKey(a) && tries++ < 50) {
                        // already measured: teach the controller again without spending a trial
                        controller.feedback(a, seen.get(a));
                        a = controller.propose();
                    }
                }
                HyperParameters hp = defaultHp(a);
                long t0 = System.nanoTime();
                TrainingReport r = run(a, hp, seed * 7919 + trials.size());
                double secs = (System.nanoTime() - t0) / 1e9;
                seen.put(a, r.valScore());
                controller.feedback(a, r.valScore());
                n++;
                trials.add(new Trial(trials.size() + 1, Trial.Phase.SEARCH, a, hp, r.valScore(), 1, secs, elapsed()));
                LOG.info(
                        "trial {} [{}] {} -> val {} ({} s, {} epochs)",
                        trials.size(),
                        isStart ? "start" : controller.name(),
                        a.describe(),
                        String.format(java.util.Locale.ROOT, "%.4f", r.valScore()),
                        String.format(java.util.Locale.ROOT, "%.1f", secs),
                        r.epochs());
            }
        }

        /**
         * Picks the configuration to retrain, in three steps, because one-seed validation scores on a few
         * hundred nodes are too noisy to rank configurations that differ by a point:
         *
         * <ol>
         *   <li>screen: the {@code tuneTopK} best architectures of the search, and the starting designs, get
         *       a second seed (the published designs stay in the running as reference points);
         *   <li>tune: a local search over the hyper-parameters of the two best so far, each step changing one
         *       of learning rate, weight decay and dropout, two seeds per step, while time and trials remain
         *       for the race;
         *   <li>race: the {@link #RACE} best configurations get {@link #RACE_SEEDS} more seeds each, and the
         *       raced configuration with the best mean over all its seeds wins. Only raced ones can win:
         *       against a mean over six seeds, an unraced two-seed mean would win by its luck alone.
         * </ol>
         */
        Candidate tune() {
            List<Trial> ranked = new ArrayList<>(trials);
            ranked.sort(Comparator.comparingDouble(Trial::valScore).reversed());
            Map<Architecture, Trial> screen = new LinkedHashMap<>();
            for (Trial t : ranked) {
                if (screen.size() == tuneTopK) {
                    break;
                }
                screen.putIfAbsent(t.architecture(), t);
            }
            for (Trial t : trials) {
                if (space.starts().contains(t.architecture())) {
                    screen.putIfAbsent(t.architecture(), t);
                }
            }
            Trial first = ranked.get(0);
            int maxTune = budget.maxTrials() - trials.size();
            if (budget.tuningShare() == 0 || maxTune <= 0) {
                // no tuning asked for, or the search spent every trial of the budget
                return new Candidate(first.architecture(), first.hyperParameters(), first.valScore());
            }
            List<Scored> pool = new ArrayList<>();
            Set<String> tried = new HashSet<>();
            int[] done = {0};
            for (Trial t : screen.values()) {
                if (done[0] >= maxTune || elapsed() >= tuneEndSeconds()) {
                    break;
                }
                Scored c = new Scored(t.architecture(), t.hyperParameters());
                c.add(t.valScore(), t.seconds());
                tried.add(c.key());
                pool.add(c);
                measure(c, 1, done, pool);
            }
            int race = Math.min(RACE, pool.size());
            for (int i = 0;
                    done[0] < maxTune - race
                            && elapsed() + raceSeconds(pool, race) < tuneEndSeconds()
                            && i < 20 * maxTune;
                    i++) {
                List<Scored> bases = best(pool, 2);
                Scored c = neighbour(bases.get(i % bases.size()));
                if (tried.add(c.key())) {
                    pool.add(c);
                    measure(c, 2, done, pool);
                }
            }
            List<Scored> raced = new ArrayList<>();
            for (Scored c : best(pool, race)) {
                if (done[0] >= maxTune || elapsed() >= tuneEndSeconds()) {
                    break;
                }
                measure(c, RACE_SEEDS, done, pool);
                raced.add(c);
            }
            if (pool.isEmpty()) {
                return new Candidate(first.architecture(), first.hyperParameters(), first.valScore());
            }
            Scored winner = best(raced.isEmpty() ? pool : raced, 1).get(0);
            return new Candidate(winner.arch, winner.hp, winner.mean());
        }

        /**
         * The configuration with one of learning rate, weight decay, dropout and (when the space offers it)
         * self-training moved to another value of the space.
         */
        private Scored neighbour(Scored base) {
            HyperParameters.Builder hp = base.hp.toBuilder();
            Architecture arch = base.arch;
            switch (rnd.nextInt(space.selfTraining().size() > 1 ? 4 : 3)) {
                case 0:
                    hp.learningRate(other(space.learningRates(), base.hp.learningRate()));
                    break;
                case 1:
                    hp.weightDecay(other(space.weightDecays(), base.hp.weightDecay()));
                    break;
                case 3:
                    hp.selfTraining(other(space.selfTraining(), base.hp.selfTraining()));
                    break;
                default:
                    arch = arch.withDropout(other(space.dropouts(), arch.dropout()));
                    break;
            }
            return new Scored(arch, hp.build());
        }

        /** A value of the list other than {@code current} (the list's only value when it has one). */
        private <T> T other(List<T> values, T current) {
            List<T> rest = values.stream().filter(v -> !v.equals(current)).toList();
            return rest.isEmpty() ? values.get(0) : rest.get(rnd.nextInt(rest.size()));
        }

        /** Trains {@code seeds} more seeds of a configuration of the pool and records them as one tuning trial. */
        private void measure(Scored c, int seeds, int[] done, List<Scored> pool) {
            double secs = 0;
            for (int s = 0; s < seeds; s++) {
                long t0 = System.nanoTime();
                double score = run(c.arch, c.hp, seed * 104729 + 31L * trials.size() + s)
                        .valScore();
                double dt = (System.nanoTime() - t0) / 1e9;
                c.add(score, dt);
                secs += dt;
            }
            done[0]++;
            trials.add(new Trial(
                    trials.size() + 1, Trial.Phase.TUNE, c.arch, c.hp, c.mean(), c.scores.size(), secs, elapsed()));
            LOG.info(
                    "tune {} {} {} -> val {} over {} seeds ({} s)",
                    trials.size(),
                    c.arch.describe(),
                    c.hp.describe(),
                    String.format(java.util.Locale.ROOT, "%.4f", c.mean()),
                    c.scores.size(),
                    String.format(java.util.Locale.ROOT, "%.1f", secs));
            // the best so far is what the final stage will retrain: reserve time for its cost
            incumbentSeconds = best(pool, 1).get(0).secondsPerSeed();
        }

        /**
         * Time the race needs, at the pace of the slowest configuration measured: any of them may still
         * enter the race with the next step's scores.
         */
        private double raceSeconds(List<Scored> pool, int race) {
            return pool.stream().mapToDouble(Scored::secondsPerSeed).max().orElse(0) * race * RACE_SEEDS;
        }

        private List<Scored> best(List<Scored> pool, int k) {
            return pool.stream()
                    .sorted(Comparator.comparingDouble(Scored::mean).reversed())
                    .limit(k)
                    .toList();
        }
    }

    /** How many configurations the final race of {@link Search#tune} compares. */
    static final int RACE = 3;

    /** Seeds each racing configuration gets on top of the ones it has. */
    static final int RACE_SEEDS = 4;

    /** A configuration with the validation score of every seed it has been trained with. */
    private static final class Scored {
        final Architecture arch;
        final HyperParameters hp;
        final List<Double> scores = new ArrayList<>();
        double seconds;

        Scored(Architecture arch, HyperParameters hp) {
            this.arch = arch;
            this.hp = hp;
        }

        void add(double score, double secs) {
            scores.add(score);
            seconds += secs;
        }

        double mean() {
            return scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double secondsPerSeed() {
            return scores.isEmpty() ? 0 : seconds / scores.size();
        }

        String key() {
            return arch.toJson() + hp;
        }
    }

    /**
     * Builder; defaults: node classification, REINFORCE, {@link TrialBudget} defaults, 5 final seeds, {@link
     * LinkDecoder#DOT}, split seed 0.
     */
    public static final class Builder extends TaskOptions<Builder> {
        private TrialBudget budget = TrialBudget.builder().build();
        private SearchStrategy strategy = SearchStrategy.REINFORCE;
        private long seed = 0;
        private int finalSeeds = 5;
        private int tuneTopK = 5;
        private SearchSpace searchSpace;
        private Path chart;

        private Builder() {}

        public Builder budget(TrialBudget v) {
            this.budget = Objects.requireNonNull(v, "budget");
            return this;
        }

        /** Shorthand for a budget of {@code trials} trials and {@code wallTime}. */
        public Builder budget(int trials, Duration wallTime) {
            return budget(TrialBudget.builder()
                    .maxTrials(trials)
                    .maxWallTime(wallTime)
                    .build());
        }

        public Builder strategy(SearchStrategy v) {
            this.strategy = Objects.requireNonNull(v, "strategy");
            return this;
        }

        /** Seed of the controller, the trials and the final retraining. */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /**
         * How many seeds the chosen configuration is retrained with (mean ± std reported). Time for them is
         * kept back from the search; should they still not fit in the wall time, the fit stops starting
         * seeds (keeping at least one), and {@link AutoGnnResult#testMetrics()} holds as many values as
         * seeds were trained.
         */
        public Builder finalSeeds(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("finalSeeds must be >= 1, was " + v);
            }
            this.finalSeeds = v;
            return this;
        }

        /** How many of the search's best architectures are screened with a second seed (default 5). */
        public Builder tuneTopK(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("tuneTopK must be >= 1, was " + v);
            }
            this.tuneTopK = v;
            return this;
        }

        /** Use this space instead of the one derived from meta-features. */
        public Builder searchSpace(SearchSpace v) {
            this.searchSpace = Objects.requireNonNull(v, "searchSpace");
            return this;
        }

        /** Also write a PNG chart of the search to this file when {@link #fit} ends. */
        public Builder chart(Path v) {
            this.chart = Objects.requireNonNull(v, "chart");
            return this;
        }

        public AutoGnn build() {
            return new AutoGnn(this);
        }
    }
}
