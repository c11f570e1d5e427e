package io.openautoglm.prompt.internal;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.Usage;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.prompt.Candidate;
import io.openautoglm.prompt.Objective;
import io.openautoglm.prompt.OptimizationResult;
import io.openautoglm.prompt.PromptSpec;
import io.openautoglm.prompt.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimisation run's bookkeeping: scores candidates on dev through a {@link TaskPipeline} on the shared
 * model, keeps the trajectory and the best, and enforces the budget. Not thread-safe: one optimiser drives
 * it from one thread.
 */
public final class Search {
    private static final Logger LOG = LoggerFactory.getLogger(Search.class);

    private final String optimizer;
    private final Scoring scoring;
    private final Objective objective;
    private final SearchBudget budget;
    private final Dataset dev;
    private final long seed;
    private final PromptSpec start;
    private final Instant started;
    private final List<Candidate> trajectory = new ArrayList<>();
    private final Map<PromptSpec, Candidate> scored = new HashMap<>();
    private final UsageMeter generation = new UsageMeter();
    private Usage generationBilled = Usage.NONE;
    private long calls;
    private long promptTokens;
    private long completionTokens;
    private double cost;
    private int bestIndex;
    private StopReason stopReason;
    private PipelineResult lastRun;

    public Search(
            String optimizer,
            Scoring scoring,
            PromptSpec start,
            Dataset train,
            Dataset dev,
            SearchBudget budget,
            long seed) {
        this.optimizer = optimizer;
        this.scoring = scoring;
        this.objective = scoring.objectiveFor(start.taskType());
        this.budget = Objects.requireNonNull(budget, "budget");
        this.dev = Objects.requireNonNull(dev, "dev: a labelled held-out set to select candidates on");
        Objects.requireNonNull(train, "train");
        if (train == dev) {
            throw new IllegalArgumentException("dev: the dev set is the train set (" + dev.name() + "); select on "
                    + "held-out data, or scores will only measure memorisation");
        }
        this.seed = seed;
        this.start = start;
        this.started = scoring.clock().instant();
    }

    /** A start that left nothing to score on dev, with what running it cost (those calls were made and paid). */
    public static final class NothingToScoreException extends IllegalArgumentException {
        private final transient Usage usage;

        NothingToScoreException(String message, Usage usage) {
            super(message);
            this.usage = usage;
        }

        public Usage usage() {
            return usage;
        }
    }

    public Objective objective() {
        return objective;
    }

    /** Scores the starting spec, whatever the budget. A start that cannot be run fails the optimisation. */
    public Candidate scoreStart(PromptSpec start, String note) {
        Candidate c = Objects.requireNonNull(evaluate(start, note, true));
        if (lastRun.metrics().isEmpty()) {
            // every candidate would score 0 and the start would win unseen: say why instead
            String why = lastRun.total() == 0
                    ? "it has no records"
                    : lastRun.failed() == lastRun.total()
                            ? "all " + lastRun.total() + " records failed, the first with: "
                                    + lastRun.failures().get(0).failure()
                            : "none of its " + lastRun.total() + " records has a gold answer";
            throw new NothingToScoreException(
                    "dev: nothing to select on in '" + dev.name() + "': " + why
                            + "; the optimisers score candidates on a labelled dev set",
                    c.usage());
        }
        return c;
    }

    /**
     * Scores a candidate, or returns empty when a budget limit is reached first (then {@link #stopped()}).
     * A spec scored before is not scored again; its earlier candidate is returned.
     */
    public Optional<Candidate> score(PromptSpec spec, String note) {
        Candidate seen = scored.get(spec);
        if (seen != null) {
            return Optional.of(seen);
        }
        if (checkLimits(true)) {
            return Optional.empty();
        }
        return Optional.ofNullable(evaluate(spec, note, false));
    }

    /** Whether the budget allows a generation call now; sets the stop reason when not. */
    public boolean mayGenerate() {
        return !checkLimits(true);
    }

    /** The meter a {@link io.openautoglm.prompt.TextGenerator} records into; billed to the next candidate. */
    public UsageMeter generationMeter() {
        return generation;
    }

    /**
     * Adds usage that belongs to no candidate, such as running the start over a training pool to
     * bootstrap demonstrations; it counts against the budget and is billed to the next candidate.
     */
    public void charge(Usage extra) {
        UsageMeter m = generation;
        for (long i = 0; i < extra.calls(); i++) {
            boolean first = i == 0;
            m.record(first ? extra.promptTokens() : 0, first ? extra.completionTokens() : 0, first ? extra.cost() : 0);
        }
        if (extra.calls() == 0 && (extra.totalTokens() > 0 || extra.cost() > 0)) {
            m.record(extra.promptTokens(), extra.completionTokens(), extra.cost());
        }
    }

    /** Whether a spec has been scored in this run. */
    public boolean seen(PromptSpec spec) {
        return scored.containsKey(spec);
    }

    /** The pipeline result of the last candidate scored, with every record's prediction. */
    public PipelineResult lastRun() {
        return lastRun;
    }

    public Candidate best() {
        return trajectory.get(bestIndex);
    }

    public boolean stopped() {
        return stopReason != null;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Ends the run with this reason unless a budget limit ended it already. */
    public void stop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Everything used so far, generation included. */
    public Usage used() {
        Usage g = generation.snapshot(Duration.ZERO);
        return new Usage(
                calls + g.calls() - generationBilled.calls(),
                promptTokens + g.promptTokens() - generationBilled.promptTokens(),
                completionTokens + g.completionTokens() - generationBilled.completionTokens(),
                cost + g.cost() - generationBilled.cost(),
                elapsed());
    }

    public Duration elapsed() {
        return Duration.between(started, scoring.clock().instant());
    }

    public OptimizationResult finish(StopReason fallback) {
        stop(fallback);
        return new OptimizationResult(
                optimizer, objective, seed, trajectory, bestIndex, stopReason, used(), base(start, scoring));
    }

    /**
     * The pipeline spec a bare start stands for: its task on the model candidates are scored on (the default
     * model when that model has no name).
     */
    public static PipelineSpec base(PromptSpec start, Scoring scoring) {
        PipelineSpec.Builder b = PipelineSpec.builder().task(start.task());
        String name = scoring.model().name();
        if (name != null && !name.isBlank()) {
            b.model(name);
        }
        return b.build();
    }

    /** Sets the stop reason and returns true when a limit is reached. */
    private boolean checkLimits(boolean forCandidate) {
        if (stopReason != null) {
            return true;
        }
        Usage u = used();
        StopReason hit = null;
        if (forCandidate && trajectory.size() >= budget.maxCandidates()) {
            hit = StopReason.MAX_CANDIDATES;
        } else if (u.calls() >= budget.maxModelCalls()) {
            hit = StopReason.MAX_MODEL_CALLS;
        } else if (u.totalTokens() >= budget.maxTokens()) {
            hit = StopReason.MAX_TOKENS;
        } else if (u.cost() >= budget.maxCost()) {
            hit = StopReason.MAX_COST;
        } else if (budget.maxWallTime() != null && u.elapsed().compareTo(budget.maxWallTime()) >= 0) {
            hit = StopReason.MAX_WALL_TIME;
        }
        if (hit != null) {
            stopReason = hit;
            LOG.info(
                    "{}: stopping at the budget limit {} after {} candidates ({})",
                    optimizer,
                    hit,
                    trajectory.size(),
                    u);
        }
        return hit != null;
    }

    private Candidate evaluate(PromptSpec spec, String note, boolean isStart) {
        long t0 = System.nanoTime();
        Instant c0 = scoring.clock().instant();
        PipelineResult result;
        double score;
        String finalNote = note;
        try (TaskPipeline pipeline = spec.applyTo(TaskPipeline.builder().model(scoring.model()))
                .batchSize(scoring.batchSize())
                .concurrency(scoring.concurrency())
                .build()) {
            result = pipeline.run(dev);
            score = score(result);
            lastRun = result;
        } catch (RuntimeException e) {
            if (isStart) {
                throw e;
            }
            LOG.warn("{}: candidate '{}' could not be scored: {}", optimizer, note, e.toString());
            result = null;
            score = 0;
            finalNote = note + " (failed: " + e.getMessage() + ")";
        }
        Usage run = result == null ? Usage.NONE : result.usage();
        Usage g = generation.snapshot(Duration.ZERO);
        Usage genDelta = new Usage(
                g.calls() - generationBilled.calls(),
                g.promptTokens() - generationBilled.promptTokens(),
                g.completionTokens() - generationBilled.completionTokens(),
                g.cost() - generationBilled.cost(),
                Duration.ZERO);
        generationBilled = g;
        calls += run.calls() + genDelta.calls();
        promptTokens += run.promptTokens() + genDelta.promptTokens();
        completionTokens += run.completionTokens() + genDelta.completionTokens();
        cost += run.cost() + genDelta.cost();
        Duration took = Duration.between(c0, scoring.clock().instant());
        if (took.isZero()) {
            took = Duration.ofNanos(System.nanoTime() - t0);
        }
        Usage candidateUsage = new Usage(
                run.calls() + genDelta.calls(),
                run.promptTokens() + genDelta.promptTokens(),
                run.completionTokens() + genDelta.completionTokens(),
                run.cost() + genDelta.cost(),
                took);
        Candidate c = new Candidate(trajectory.size(), optimizer, finalNote, spec, score, candidateUsage);
        trajectory.add(c);
        scored.put(spec, c);
        if (score > best().score()) {
            bestIndex = c.index();
        }
        LOG.debug("{}: #{} {} -> {} {}", optimizer, c.index(), finalNote, objective, String.format("%.4f", score));
        return c;
    }

    /**
     * The objective over every dev record with a gold answer: records that failed count as wrong, so that
     * a candidate cannot score well by failing on the hard ones.
     */
    private double score(PipelineResult result) {
        if (result.metrics().isEmpty()) {
            return 0;
        }
        long evaluated = result.metrics().get().evaluated();
        long failed = result.failed();
        double value = objective.of(result.metrics().get());
        return evaluated + failed == 0 ? 0 : value * evaluated / (evaluated + failed);
    }
}
