package io.openautoglm.core;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of a pipeline run: each record's result or failure in input order, the metrics where gold
 * answers exist, and the usage. Every input record is counted: {@code total() == succeeded() + failed()}.
 *
 * <p>When the run streamed its results to a {@link ResultSink}, they are not kept here:
 * {@link #results()} is empty and {@link #retainsResults()} is false; the counts, metrics and usage are
 * complete either way. Immutable.
 */
public final class PipelineResult {
    private final TaskType taskType;
    private final String model;
    private final String dataset;
    private final List<RecordResult> results;
    private final boolean retained;
    private final long succeeded;
    private final long failed;
    private final Map<Failure.Kind, Long> failuresByKind;
    private final long truncated;
    private final Metrics metrics;
    private final Usage usage;
    private final boolean cancelled;

    PipelineResult(
            TaskType taskType,
            String model,
            String dataset,
            List<RecordResult> results,
            boolean retained,
            long succeeded,
            long failed,
            Map<Failure.Kind, Long> failuresByKind,
            long truncated,
            Metrics metrics,
            Usage usage,
            boolean cancelled) {
        this.taskType = taskType;
        this.model = model;
        this.dataset = dataset;
        this.results = List.copyOf(results);
        this.retained = retained;
        this.succeeded = succeeded;
        this.failed = failed;
        EnumMap<Failure.Kind, Long> byKind = new EnumMap<>(Failure.Kind.class);
        byKind.putAll(failuresByKind);
        this.failuresByKind = Collections.unmodifiableMap(byKind);
        this.truncated = truncated;
        this.metrics = metrics;
        this.usage = usage;
        this.cancelled = cancelled;
    }

    public TaskType taskType() {
        return taskType;
    }

    public String model() {
        return model;
    }

    public String dataset() {
        return dataset;
    }

    /** Every record's result in input order; empty when the results were streamed to a sink. */
    public List<RecordResult> results() {
        return results;
    }

    public boolean retainsResults() {
        return retained;
    }

    /** The failed records, in input order (only when results are retained). */
    public List<RecordResult> failures() {
        return results.stream().filter(r -> !r.succeeded()).toList();
    }

    /** Records read from the input, whether they succeeded or failed. */
    public long total() {
        return succeeded + failed;
    }

    public long succeeded() {
        return succeeded;
    }

    public long failed() {
        return failed;
    }

    /**
     * The failed records counted by {@link Failure.Kind}, in the kinds' declaration order; kinds with no failures
     * are left out, so the map is empty when nothing failed. Complete whether or not the results are retained;
     * the counts add up to {@link #failed()}.
     */
    public Map<Failure.Kind, Long> failuresByKind() {
        return failuresByKind;
    }

    /** Records whose text was longer than the model's input limit and was cut. */
    public long truncated() {
        return truncated;
    }

    /** The metrics, when at least one record had a gold answer and a prediction. */
    public Optional<Metrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    public Usage usage() {
        return usage;
    }

    /**
     * Whether the run was cancelled ({@link PipelineRun#cancel()}) or cut short by closing its pipeline
     * ({@link TaskPipeline#close()}); the records not run then are {@link Failure.Kind#CANCELLED} failures. A
     * close() that came after every record was run leaves this false.
     */
    public boolean cancelled() {
        return cancelled;
    }

    /** Writes the retained results as JSON Lines. */
    public void writeJsonl(Path file) {
        requireRetained();
        write(ResultWriters.jsonl(file));
    }

    /** Writes the retained results as CSV. */
    public void writeCsv(Path file) {
        requireRetained();
        write(ResultWriters.csv(file));
    }

    /** Checked before a file is opened: opening would empty the file the run may have streamed into. */
    private void requireRetained() {
        if (!retained) {
            throw new IllegalStateException("this run streamed its results to a sink and kept none; "
                    + "pass ResultWriters.jsonl(...) or csv(...) as the sink to write them");
        }
    }

    private void write(ResultWriters.Writer writer) {
        try (writer) {
            results.forEach(writer::accept);
        }
    }

    /**
     * A short report: counts (failures by kind, the most frequent first, e.g.
     * {@code 3 failed (RATE_LIMITED 2, UNPARSEABLE_ANSWER 1)}), usage and metrics.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "%s on %s with %s: %d records, %d succeeded, %d failed%s%s%s%n",
                taskType,
                dataset,
                model,
                total(),
                succeeded,
                failed,
                failuresByKind.isEmpty() ? "" : " (" + kindCounts() + ")",
                truncated > 0 ? ", " + truncated + " truncated" : "",
                cancelled ? " (cancelled)" : ""));
        sb.append("usage: ").append(usage).append('\n');
        if (metrics != null) {
            sb.append(metrics.report());
        }
        return sb.toString();
    }

    private String kindCounts() {
        return failuresByKind.entrySet().stream()
                .sorted(Map.Entry.<Failure.Kind, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "PipelineResult[" + taskType + ", " + dataset + ", total=" + total() + ", succeeded=" + succeeded
                + ", failed=" + failed + "]";
    }
}
