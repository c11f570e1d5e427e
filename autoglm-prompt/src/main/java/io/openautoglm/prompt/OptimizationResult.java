package io.openautoglm.prompt;

import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.Usage;
import io.openautoglm.core.spi.Model;
import io.openautoglm.prompt.internal.SpecJson;
import io.openautoglm.prompt.internal.TrajectoryChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an optimisation found: the best spec, its dev score against the starting spec's, the whole
 * trajectory of candidates with their scores and costs, and why it stopped.
 *
 * <pre>{@code
 * OptimizationResult result = optimizer.optimize(start, train, dev, budget);
 * System.out.println(result.summary());
 * System.out.println(result.finalPrompt());
 * result.save(Path.of("best-prompt.json"));
 * result.writeChart(Path.of("trajectory.png"));
 * try (TaskPipeline pipeline = result.applyTo(TaskPipeline.builder().model(model)).build()) {
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

    /**
     * @param trajectory every candidate in the order scored; the first is the starting spec
     * @param bestIndex  the position of the best candidate in the trajectory
     * @param usage      the run's total usage, generation included
     */
    public OptimizationResult(String optimizer, Objective objective, long seed, List<Candidate> trajectory,
                              int bestIndex, StopReason stopReason, Usage usage) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.seed = seed;
        this.trajectory = List.copyOf(trajectory);
        if (this.trajectory.isEmpty()) {
            throw new IllegalArgumentException("trajectory: at least the starting spec must be scored");
        }
        if (bestIndex < 0 || bestIndex >= this.trajectory.size()) {
            throw new IllegalArgumentException("bestIndex " + bestIndex + " is outside the trajectory of "
                    + this.trajectory.size());
        }
        this.bestIndex = bestIndex;
        this.stopReason = Objects.requireNonNull(stopReason, "stopReason");
        this.usage = Objects.requireNonNull(usage, "usage");
    }

    public String optimizer() { return optimizer; }

    public Objective objective() { return objective; }

    public long seed() { return seed; }

    /** Every candidate in the order scored; the first is the starting spec. */
    public List<Candidate> trajectory() { return trajectory; }

    public Candidate start() { return trajectory.get(0); }

    public Candidate best() { return trajectory.get(bestIndex); }

    public PromptSpec bestSpec() { return best().spec(); }

    public double startScore() { return start().score(); }

    public double bestScore() { return best().score(); }

    /** Best minus start dev score; never negative. */
    public double improvement() { return bestScore() - startScore(); }

    public StopReason stopReason() { return stopReason; }

    /** Everything the run used: scoring and generation, calls, tokens, cost, wall time. */
    public Usage usage() { return usage; }

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
        return String.format("%s: dev %s %.4f -> %.4f (%+.4f) after %d candidates, best #%d (%s); stopped: %s; %s",
                optimizer, objective, startScore(), bestScore(), improvement(), trajectory.size(), best().index(),
                best().note(), stopReason, usage);
    }

    /** The whole result as JSON, specs included; {@link #fromJson} reads it back. */
    public String toJson() {
        return SpecJson.write(this);
    }

    public static OptimizationResult fromJson(String json) {
        return SpecJson.readResult(json);
    }

    /** Saves {@link #toJson()} to a file. */
    public void save(Path file) {
        write(file, toJson());
    }

    public static OptimizationResult load(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read optimisation result " + file, e);
        }
    }

    /**
     * Writes a JSON report for people and dashboards: scores, stop reason, usage, the final prompt, and
     * the trajectory as notes, scores and costs (without every candidate's spec; {@link #save} keeps those).
     */
    public void writeReport(Path file) {
        write(file, SpecJson.report(this));
    }

    /** Writes a PNG chart: each candidate's dev score, the best so far, and the start. */
    public void writeChart(Path file) {
        TrajectoryChart.write(this, file);
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
