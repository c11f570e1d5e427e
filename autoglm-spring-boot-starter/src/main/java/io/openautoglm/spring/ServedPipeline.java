package io.openautoglm.spring;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.ResultSink;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.spi.Model;
import io.openautoglm.spring.internal.PipelineMeters;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline that {@link AutoGlmPipelines} holds: its spec, its open model, the model's circuit, and whether it is
 * ready. {@link #run} runs records through it and counts them in the metrics. A pipeline that was replaced finishes
 * the runs it has begun and then closes. Thread-safe: runs may overlap.
 */
public final class ServedPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ServedPipeline.class);

    /** Where a pipeline stands. */
    public enum State {
        /** Its model is being prepared (and, for a local model, probed). */
        LOADING,
        /** It answers. */
        READY,
        /** Preparing or probing its model failed; {@link #problem()} says why. */
        FAILED,
        /** Closed: replaced or shut down. */
        CLOSED
    }

    private final String name;
    private final PipelineSpec spec;
    private final String provider;
    private final TaskPipeline pipeline;
    private final Model model;
    private final ModelCircuit circuit;
    private final PipelineMeters meters;
    private volatile State state = State.LOADING;
    private volatile String problem;
    private int active;
    private boolean retired;
    private boolean released;

    ServedPipeline(
            String name,
            PipelineSpec spec,
            String provider,
            TaskPipeline pipeline,
            Model model,
            ModelCircuit circuit,
            PipelineMeters meters) {
        this.name = name;
        this.spec = spec;
        this.provider = provider;
        this.pipeline = pipeline;
        this.model = model;
        this.circuit = circuit;
        this.meters = meters;
    }

    public String name() {
        return name;
    }

    /** The spec it was registered with; secrets in it are references only. */
    public PipelineSpec spec() {
        return spec;
    }

    public TaskType taskType() {
        return spec.task().type();
    }

    public String modelName() {
        return spec.model().name();
    }

    /** The provider that serves its model, e.g. {@code local} or {@code glm}. */
    public String provider() {
        return provider;
    }

    public State state() {
        return state;
    }

    /** Why it {@link State#FAILED}; empty otherwise. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The circuit breaker of its model. */
    public ModelCircuit circuit() {
        return circuit;
    }

    /** Runs a dataset, keeping every result; the records are counted in the metrics. */
    public PipelineResult run(Dataset dataset) {
        return run(dataset, null);
    }

    /**
     * Runs a dataset, handing each result to {@code sink} in input order (or keeping them when {@code sink} is
     * {@code null}); the records are counted in the metrics.
     *
     * @throws IllegalStateException when this pipeline was closed (replaced, or the application is stopping)
     */
    public PipelineResult run(Dataset dataset, ResultSink sink) {
        enter();
        try {
            PipelineResult result = sink == null ? pipeline.run(dataset) : pipeline.run(dataset, sink);
            meters.records(result);
            return result;
        } finally {
            exit();
        }
    }

    /** Prepares the model, and probes a local one with one record; the state becomes READY or FAILED. */
    void warmUp() {
        long start = System.nanoTime();
        try {
            enter();
        } catch (IllegalStateException closed) {
            return;
        }
        try {
            pipeline.run(Dataset.of(List.of()));
            if ("local".equals(provider)) {
                TextRecord probe = taskType() == TaskType.SEMANTIC_MATCHING
                        ? TextRecord.pair("ok", "ok", null)
                        : TextRecord.of("ok");
                PipelineResult r = pipeline.run(Dataset.of(List.of(probe)));
                if (r.failed() > 0) {
                    throw new IllegalStateException(
                            "the probe record failed: " + r.results().get(0).failure());
                }
            }
            loaded(State.READY);
            LOG.info("pipeline {} ready: {} on {} in {} ms", name, taskType(), modelName(), millisSince(start));
        } catch (RuntimeException | LinkageError e) {
            problem = e.getMessage() == null ? e.toString() : e.getMessage();
            loaded(State.FAILED);
            LOG.warn("pipeline {}: preparing {} failed: {}", name, modelName(), e.toString());
        } finally {
            exit();
        }
    }

    /** Ready without warming up: the model is prepared by the first run. */
    void markReady() {
        loaded(State.READY);
    }

    /** Leaves LOADING for {@code next}; a pipeline closed meanwhile stays closed. */
    private synchronized void loaded(State next) {
        if (state == State.LOADING) {
            state = next;
        }
    }

    private void enter() {
        synchronized (this) {
            if (state == State.CLOSED) {
                throw new IllegalStateException(
                        "pipeline " + name + " was closed (replaced or shut down); run it again");
            }
            active++;
        }
    }

    private void exit() {
        boolean close;
        synchronized (this) {
            active--;
            close = retired && active == 0 && state != State.CLOSED;
            if (close) {
                state = State.CLOSED;
            }
        }
        if (close) {
            release();
        }
    }

    /** Closes it once the runs it has begun are over. */
    void retire() {
        boolean close;
        synchronized (this) {
            retired = true;
            close = active == 0 && state != State.CLOSED;
            if (close) {
                state = State.CLOSED;
            }
        }
        if (close) {
            release();
        }
    }

    /** Closes it now: runs still going end with their records cancelled. */
    void close() {
        synchronized (this) {
            retired = true;
            state = State.CLOSED;
        }
        release();
    }

    private void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        try {
            pipeline.close();
        } finally {
            model.close();
        }
        LOG.debug("pipeline {} closed", name);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public String toString() {
        return "ServedPipeline[" + name + ": " + taskType() + " on " + modelName() + ", " + state + "]";
    }
}
