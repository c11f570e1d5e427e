package io.openautoglm.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run started with {@link TaskPipeline#start}: wait for it, or cancel it. Cancelling stops new batches
 * from reaching the model; the records not run yet still appear in the result, as
 * {@link Failure.Kind#CANCELLED} failures with the message "cancelled". Thread-safe.
 */
public final class PipelineRun {
    private final CompletableFuture<PipelineResult> result = new CompletableFuture<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    PipelineRun() {}

    /** Asks the run to stop; returns at once. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** The result, completed when the run ends (exceptionally if it failed). */
    public CompletableFuture<PipelineResult> result() {
        return result;
    }

    /** Waits for the result; rethrows the run's failure unchecked. */
    public PipelineResult join() {
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    AtomicBoolean cancelFlag() {
        return cancelled;
    }

    CompletableFuture<PipelineResult> future() {
        return result;
    }
}
