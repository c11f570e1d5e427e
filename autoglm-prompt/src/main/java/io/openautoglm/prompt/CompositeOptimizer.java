package io.openautoglm.prompt;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs optimisers in sequence, each starting from the best spec so far, under one shared budget: a stage
 * gets what the stages before it left. The trajectories are joined in order (each stage's first candidate
 * is its start, scored again so that every stage is self-contained); the best over all is the result.
 *
 * <pre>{@code
 * PromptOptimizer all = CompositeOptimizer.of(
 *         LabelWordingSearch.builder().model(model).build(),
 *         DemonstrationSelection.builder().model(model).perClass(8).build());
 * OptimizationResult result = all.optimize(start, train, dev, SearchBudget.ofCandidates(60));
 * }</pre>
 *
 * <p>Started from a {@link PipelineSpec}, every stage gets that spec with the best task so far, and the result
 * keeps it as its base; started from a bare {@link PromptSpec}, the base is the first stage's. A stage that stops
 * at a budget limit ends the sequence. Immutable and thread-safe if its stages are.
 */
public final class CompositeOptimizer implements PromptOptimizer {
    private static final Logger LOG = LoggerFactory.getLogger(CompositeOptimizer.class);

    private final List<PromptOptimizer> stages;

    private CompositeOptimizer(List<PromptOptimizer> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages: a composite needs at least one optimiser");
        }
        stages.forEach(s -> Objects.requireNonNull(s, "stage"));
        this.stages = List.copyOf(stages);
    }

    public static CompositeOptimizer of(PromptOptimizer... stages) {
        return new CompositeOptimizer(List.of(stages));
    }

    public static CompositeOptimizer of(List<PromptOptimizer> stages) {
        return new CompositeOptimizer(stages);
    }

    public List<PromptOptimizer> stages() {
        return stages;
    }

    @Override
    public String name() {
        return String.join("+", stages.stream().map(PromptOptimizer::name).toList());
    }

    @Override
    public OptimizationResult optimize(PromptSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        return run(start, null, train, dev, budget);
    }

    @Override
    public OptimizationResult optimize(PipelineSpec start, Dataset train, Dataset dev, SearchBudget budget) {
        return run(PromptSpec.of(start.task()), start, train, dev, budget);
    }

    private OptimizationResult run(
            PromptSpec start, PipelineSpec base, Dataset train, Dataset dev, SearchBudget budget) {
        List<Candidate> trajectory = new ArrayList<>();
        long calls = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        double cost = 0;
        Duration elapsed = Duration.ZERO;
        int bestIndex = 0;
        long seed = 0;
        Objective objective = null;
        StopReason reason = StopReason.EXHAUSTED;
        PromptSpec current = start;
        for (int i = 0; i < stages.size(); i++) {
            PromptOptimizer stage = stages.get(i);
            SearchBudget left =
                    remaining(budget, trajectory.size(), calls, promptTokens + completionTokens, cost, elapsed);
            if (left == null) {
                break;
            }
            OptimizationResult r = base == null
                    ? stage.optimize(current, train, dev, left)
                    : stage.optimize(base.withTask(current.task()), train, dev, left);
            LOG.info("stage {} of {}: {}", i + 1, stages.size(), r.summary());
            if (base == null) {
                base = r.base();
            }
            if (i == 0) {
                seed = r.seed();
                objective = r.objective();
            } else if (r.objective() != objective) {
                throw new IllegalArgumentException("stages: stage " + (i + 1) + " (" + stage.name() + ") maximises "
                        + r.objective() + " but the first maximises " + objective + "; give every stage the same "
                        + "objective so that their scores compare");
            }
            for (Candidate c : r.trajectory()) {
                Candidate moved =
                        new Candidate(trajectory.size(), c.optimizer(), c.note(), c.spec(), c.score(), c.usage());
                trajectory.add(moved);
                if (moved.score() > trajectory.get(bestIndex).score()) {
                    bestIndex = moved.index();
                }
            }
            calls += r.usage().calls();
            promptTokens += r.usage().promptTokens();
            completionTokens += r.usage().completionTokens();
            cost += r.usage().cost();
            elapsed = elapsed.plus(r.usage().elapsed());
            reason = r.stopReason();
            current = trajectory.get(bestIndex).spec();
            if (reason.isBudgetLimit()) {
                break;
            }
        }
        if (!reason.isBudgetLimit()) {
            StopReason hit = limitHit(budget, trajectory.size(), calls, promptTokens + completionTokens, cost, elapsed);
            if (hit != null) {
                reason = hit;
            }
        }
        return new OptimizationResult(
                name(),
                objective,
                seed,
                trajectory,
                bestIndex,
                reason,
                new Usage(calls, promptTokens, completionTokens, cost, elapsed),
                base);
    }

    /** The first limit reached after this much use, or null; shared with {@link OptionSearch}. */
    static StopReason limitHit(SearchBudget b, int candidates, long calls, long tokens, double cost, Duration elapsed) {
        if (candidates >= b.maxCandidates()) {
            return StopReason.MAX_CANDIDATES;
        }
        if (calls >= b.maxModelCalls()) {
            return StopReason.MAX_MODEL_CALLS;
        }
        if (tokens >= b.maxTokens()) {
            return StopReason.MAX_TOKENS;
        }
        if (cost >= b.maxCost()) {
            return StopReason.MAX_COST;
        }
        if (b.maxWallTime() != null && elapsed.compareTo(b.maxWallTime()) >= 0) {
            return StopReason.MAX_WALL_TIME;
        }
        return null;
    }

    /** What is left of the budget, or null when a limit is already reached. */
    static SearchBudget remaining(
            SearchBudget b, int candidates, long calls, long tokens, double cost, Duration elapsed) {
        if (limitHit(b, candidates, calls, tokens, cost, elapsed) != null) {
            return null;
        }
        SearchBudget.Builder left = SearchBudget.builder();
        if (b.maxCandidates() != Integer.MAX_VALUE) {
            left.maxCandidates(b.maxCandidates() - candidates);
        }
        if (b.maxModelCalls() != Long.MAX_VALUE) {
            left.maxModelCalls(b.maxModelCalls() - calls);
        }
        if (b.maxTokens() != Long.MAX_VALUE) {
            left.maxTokens(b.maxTokens() - tokens);
        }
        if (!Double.isInfinite(b.maxCost())) {
            left.maxCost(b.maxCost() - cost);
        }
        if (b.maxWallTime() != null) {
            left.maxWallTime(b.maxWallTime().minus(elapsed));
        }
        return left.build();
    }
}
