package io.openautoglm.spring.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Task;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.Usage;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A model whose every call is measured ({@link PipelineMeters}) and guarded by the model's circuit breaker: a call
 * the open circuit refuses is not sent, and each of its records fails with {@code MODEL_ERROR} saying so; a call
 * that throws, or in which a record failed on the model's side ({@link #MODEL_SIDE}), counts as a failure towards
 * opening it. Closing it closes the model it wraps. Thread-safe, as the wrapped model is.
 */
public final class InstrumentedModel implements Model {
    /** The failure kinds that say the model or its endpoint is in trouble, rather than the record. */
    static final Set<Failure.Kind> MODEL_SIDE =
            EnumSet.of(Failure.Kind.MODEL_ERROR, Failure.Kind.TIMEOUT, Failure.Kind.RATE_LIMITED);

    private final Model delegate;
    private final CircuitBreaker breaker;
    private final Supplier<Duration> retryAfter;
    private final PipelineMeters meters;

    /**
     * @param breaker    the model's breaker, or {@code null} for none
     * @param retryAfter how long an open circuit stays open, for the failures' message
     */
    public InstrumentedModel(
            Model delegate, CircuitBreaker breaker, Supplier<Duration> retryAfter, PipelineMeters meters) {
        this.delegate = delegate;
        this.breaker = breaker;
        this.retryAfter = retryAfter;
        this.meters = meters;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Predictor predictor(Task task) {
        Predictor inner = delegate.predictor(task);
        return (batch, usage) -> predict(inner, batch, usage);
    }

    private List<Outcome> predict(Predictor inner, List<TextRecord> batch, UsageMeter usage) {
        if (breaker != null && !breaker.tryAcquirePermission()) {
            meters.rejected();
            String why = "not sent: the circuit breaker of model " + name() + " is open after repeated failures; "
                    + "retry after " + retryAfter.get().toSeconds() + " s";
            return batch.stream()
                    .map(r -> Outcome.failure(Failure.Kind.MODEL_ERROR, why))
                    .toList();
        }
        UsageMeter own = new UsageMeter();
        long start = System.nanoTime();
        meters.callStarted();
        List<Outcome> outcomes;
        try {
            outcomes = inner.predict(batch, own);
        } catch (RuntimeException | Error e) {
            long nanos = System.nanoTime() - start;
            if (breaker != null) {
                breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
            }
            meters.call(nanos, e.getClass().getSimpleName(), forward(own, usage));
            throw e;
        } finally {
            meters.callEnded();
        }
        long nanos = System.nanoTime() - start;
        Failure.Kind failed = modelSideFailure(outcomes, batch.size());
        if (breaker != null) {
            if (failed == null) {
                breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            } else {
                breaker.onError(nanos, TimeUnit.NANOSECONDS, new ModelCallFailed(failed));
            }
        }
        meters.call(nanos, failed == null ? null : failed.name(), forward(own, usage));
        return outcomes;
    }

    /** The first model-side failure kind among the outcomes, or {@code null}; a wrong count is a model error. */
    private static Failure.Kind modelSideFailure(List<Outcome> outcomes, int expected) {
        if (outcomes == null || outcomes.size() != expected) {
            return Failure.Kind.MODEL_ERROR;
        }
        for (Outcome o : outcomes) {
            if (o == null) {
                return Failure.Kind.MODEL_ERROR;
            }
            if (o.failure() != null && MODEL_SIDE.contains(o.failure().kind())) {
                return o.failure().kind();
            }
        }
        return null;
    }

    /** Hands one call's usage on to the run's meter, call by call, and returns it. */
    private static Usage forward(UsageMeter own, UsageMeter run) {
        Usage u = own.snapshot(Duration.ZERO);
        for (long i = 0; i < u.calls(); i++) {
            if (i == 0) {
                run.record(u.promptTokens(), u.completionTokens(), u.cost());
            } else {
                run.record(0, 0, 0);
            }
        }
        if (u.calls() == 0 && (u.promptTokens() > 0 || u.completionTokens() > 0 || u.cost() > 0)) {
            run.record(u.promptTokens(), u.completionTokens(), u.cost());
        }
        if (own.truncated() > 0) {
            run.recordTruncated(own.truncated());
        }
        return u;
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** What the breaker is told when a call came back with records failed on the model's side. */
    static final class ModelCallFailed extends RuntimeException {
        ModelCallFailed(Failure.Kind kind) {
            super("records failed on the model's side: " + kind, null, false, false);
        }
    }
}
