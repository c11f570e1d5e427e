package io.openautoglm.prompt;

import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.Usage;
import io.openautoglm.core.internal.chart.ProgressChart;
import io.openautoglm.core.spi.Model;
import io.openautoglm.prompt.internal.SpecJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an optimisation found: the best spec, its dev score against the starting spec's, the whole
 * trajectory of candidates with their scores and costs, why it stopped, and the {@link PipelineSpec} it started
 * from, so that the best can be saved as a spec that runs as it is.
 *
 * <pre>{@code
 * OptimizationResult result = optimizer.optimize(PipelineSpec.read(Path.of("spec.json")), train, dev, budget);
 * System.out.println(result.summary());
 * System.out.println(result.finalPrompt());
 * result.save(Path.of("best.json"));              // a pipeline spec: autoglm run best.json
 * result.saveResult(Path.of("result.json"));      // the whole trajectory: loadResult reads it back
 * result.writeChart(Path.of("trajectory.png"));
 * try (TaskPipeline pipeline = TaskPipeline.builder().spec(result.bestPipelineSpec()).build()) {
 *     pipeline.run(test);   // test scores: for the final spec only
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class OptimizationResult {
    private final String optimizer;
    private final Objective objective;
    private final long seed;
    private final List<Candidate> trajectory;
    private final int bestIndex;
    private final StopReason stopReason;
    private final Usage usage;
    private final PipelineSpec base;

    /**
     * @param trajectory every candidate in the order scored; the first is the starting spec
     * @param bestIndex  the position of the best candidate in the trajectory
     * @param usage      the run's total usage, generation included
     * @param base       the pipeline spec the run started from: its model, source, normaliser, run settings and
     *                   sink go with the best task into {@link #bestPipelineSpec()}; its task is taken to be the
     *                   start's (the first candidate's)
     */
    public OptimizationResult(
            String optimizer,
            Objective objective,
            long seed,
            List<Candidate> trajectory,
            int bestIndex,
            StopReason stopReason,
            Usage usage,
            PipelineSpec base) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.seed = seed;
        this.trajectory = List.copyOf(trajectory);
        if (this.trajectory.isEmpty()) {
            throw new IllegalArgumentException("trajectory: at least the starting spec must be scored");
        }
        if (bestIndex < 0 || bestIndex >= this.trajectory.size()) {
            throw new IllegalArgumentException(
                    "bestIndex " + bestIndex + " is outside the trajectory of " + this.trajectory.size());
        }
        this.bestIndex = bestIndex;
        this.stopReason = Objects.requireNonNull(stopReason, "stopReason");
        this.usage = Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(base, "base: the pipeline spec the optimisation started from");
        PromptSpec start = this.trajectory.get(0).spec();
        this.base = base.task() == start.task() ? base : base.withTask(start.task());
    }

    /** This result with another base, e.g. the pipeline spec a task was taken from; the trajectory is unchanged. */
    public OptimizationResult withBase(PipelineSpec newBase) {
        return new OptimizationResult(optimizer, objective, seed, trajectory, bestIndex, stopReason, usage, newBase);
    }

    public String optimizer() {
        return optimizer;
    }

    public Objective objective() {
        return objective;
    }

    public long seed() {
        return seed;
    }

    /** Every candidate in the order scored; the first is the starting spec. */
    public List<Candidate> trajectory() {
        return trajectory;
    }

    public Candidate start() {
        return trajectory.get(0);
    }

    public Candidate best() {
        return trajectory.get(bestIndex);
    }

    public PromptSpec bestSpec() {
        return best().spec();
    }

    /**
     * The pipeline spec the run started from, with the start's task. When the run started from a bare
     * {@link PromptSpec}, a spec with that task and the name of the model candidates were scored on.
     */
    public PipelineSpec base() {
        return base;
    }

    /** The base with the best task: a spec that {@code TaskPipeline.builder().spec(…)} runs as it is. */
    public PipelineSpec bestPipelineSpec() {
        return base.task() == bestSpec().task()
                ? base
                : base.withTask(bestSpec().task());
    }

    public double startScore() {
        return start().score();
    }

    public double bestScore() {
        return best().score();
    }

    /** Best minus start dev score; never negative. */
    public double improvement() {
        return bestScore() - startScore();
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Everything the run used: scoring and generation, calls, tokens, cost, wall time. */
    public Usage usage() {
        return usage;
    }

    /** Sets the best spec on a pipeline builder. */
    public TaskPipeline.Builder applyTo(TaskPipeline.Builder builder) {
        return bestSpec().applyTo(builder);
    }

    /** A pipeline that runs the best spec on an open model, which stays the caller's to close. */
    public TaskPipeline pipeline(Model openModel) {
        return bestSpec().pipeline(openModel);
    }

    /** The best spec in full: instruction, label wording, demonstrations, options and the whole prompt. */
    public String finalPrompt() {
        return bestSpec().describe();
    }

    /** A few lines: scores, candidates, usage and stop reason. */
    public String summary() {
        return String.format(
                "%s: dev %s %.4f -> %.4f (%+.4f) after %d candidates, best #%d (%s); stopped: %s; %s",
                optimizer,
                objective,
                startScore(),
                bestScore(),
                improvement(),
                trajectory.size(),
                best().index(),
                best().note(),
                stopReason,
                usage);
    }

    /** The whole result as JSON: the trajectory with every candidate's task, and the base; {@link #fromJson} reads it. */
    public String toJson() {
        return SpecJson.write(this);
    }

    public static OptimizationResult fromJson(String json) {
        return SpecJson.readResult(json);
    }

    /**
     * Writes {@link #bestPipelineSpec()} with {@link PipelineSpec#write}, relative paths rewritten for the file's
     * folder: {@code PipelineSpec.read(file)} gives a spec that runs as it is ({@code autoglm run file}).
     */
    public void save(Path file) {
        bestPipelineSpec().write(file);
    }

    /** Saves the whole result ({@link #toJson()}), trajectory included; {@link #loadResult} reads it back. */
    public void saveResult(Path file) {
        write(file, toJson());
    }

    /** Reads a result {@link #saveResult} wrote. */
    public static OptimizationResult loadResult(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read optimisation result " + file, e);
        }
    }

    /**
     * Writes a JSON report for people and dashboards: scores, stop reason, usage, the final prompt, and
     * the trajectory as notes, scores and costs (without every candidate's spec; {@link #saveResult} keeps those).
     */
    public void writeReport(Path file) {
        write(file, SpecJson.report(this));
    }

    /**
     * Writes a PNG chart: each candidate's dev score, the best so far, and the start.
     *
     * @throws io.openautoglm.core.AutoGlmException when XChart, an optional dependency, is not on the classpath
     */
    public void writeChart(Path file) {
        double[] x = trajectory.stream().mapToDouble(Candidate::index).toArray();
        double[] y = trajectory.stream().mapToDouble(Candidate::score).toArray();
        ProgressChart.of(optimizer + ": dev " + objective + " per candidate", "candidate", "dev " + objective)
                .bestSoFar("candidate", x, y)
                .level("start", startScore())
                .write(file, "autoglm-prompt");
    }

    private static void write(Path file, String text) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return "OptimizationResult[" + summary() + "]";
    }
}
