package io.openautoglm.prompt;

import io.openautoglm.core.spi.Model;
import io.openautoglm.prompt.internal.Knobs;
import io.openautoglm.prompt.internal.Scoring;
import java.time.Clock;
import java.util.Objects;

/**
 * The settings every optimiser that scores candidates on dev shares: the model, the objective, how runs are
 * batched, and the clock. Each optimiser's {@code Builder} extends it, so the settings read the same everywhere.
 *
 * @param <B> the concrete builder, returned by each setter
 */
abstract class ScoringBuilder<B extends ScoringBuilder<B>> {
    private Model model;
    private Objective objective;
    private int batchSize;
    private int concurrency = Knobs.defaultConcurrency();
    private Clock clock = Clock.systemUTC();

    ScoringBuilder(int defaultBatchSize) {
        this.batchSize = defaultBatchSize;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The open model candidates are scored on; stays the caller's to close. Required. */
    public B model(Model model) {
        this.model = Objects.requireNonNull(model, "model");
        return self();
    }

    /** What to maximise on dev; default {@link Objective#defaultFor} the task. */
    public B objective(Objective objective) {
        this.objective = objective;
        return self();
    }

    /** Records per model call while scoring. */
    public B batchSize(int n) {
        this.batchSize = Knobs.atLeast("batchSize", n, 1);
        return self();
    }

    /** Batches in flight while scoring. */
    public B concurrency(int n) {
        this.concurrency = Knobs.atLeast("concurrency", n, 1);
        return self();
    }

    /** The clock wall-time budgets are measured with; for tests. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The scoring settings; fails naming the missing model. */
    Scoring scoring() {
        if (model == null) {
            throw new IllegalArgumentException("model must be set: the open model candidates are scored on, "
                    + "e.g. Models.open(\"local:bge-small-zh\")");
        }
        return new Scoring(model, objective, batchSize, concurrency, clock);
    }
}
