package io.openautoglm.spring;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The circuit breaker of one model (Resilience4j), shared by every pipeline that uses the model. It opens when the
 * model's calls fail at the configured rate (an exception, or records that failed on the model's side: {@code
 * MODEL_ERROR}, {@code TIMEOUT}, {@code RATE_LIMITED}); while it is open no call reaches the model, and
 * {@link #admit()} says how long to wait. Thread-safe.
 */
public final class ModelCircuit {
    /** The circuit's states. */
    public enum State {
        /** Calls go through; failures are counted. */
        CLOSED,
        /** Calls are refused until the wait is over. */
        OPEN,
        /** A few trial calls go through; they close it or open it again. */
        HALF_OPEN,
        /** No breaker: {@code autoglm.circuit-breaker.enabled=false}. */
        DISABLED;

        /** Lower case, for tags and JSON. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String model;
    private final CircuitBreaker breaker;
    private final Duration openWait;
    private final LongSupplier nanoTime;
    private final AtomicLong openedAt = new AtomicLong();

    ModelCircuit(String model, CircuitBreaker breaker, Duration openWait, LongSupplier nanoTime) {
        this.model = model;
        this.breaker = breaker;
        this.openWait = openWait;
        this.nanoTime = nanoTime;
        if (breaker != null) {
            breaker.getEventPublisher().onStateTransition(e -> {
                if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    openedAt.set(nanoTime.getAsLong());
                }
            });
        }
    }

    /** The model this circuit guards. */
    public String model() {
        return model;
    }

    public State state() {
        if (breaker == null) {
            return State.DISABLED;
        }
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> State.OPEN;
            case HALF_OPEN -> State.HALF_OPEN;
            case CLOSED, METRICS_ONLY -> State.CLOSED;
            case DISABLED -> State.DISABLED;
        };
    }

    /**
     * Whether a request may go to the model now: empty when it may, else how long to wait before asking again (at
     * least a second). An open circuit whose wait is over moves to half-open here and lets the request through.
     */
    public Optional<Duration> admit() {
        if (breaker == null) {
            return Optional.empty();
        }
        if (breaker.getState() == CircuitBreaker.State.CLOSED) {
            return Optional.empty();
        }
        if (breaker.tryAcquirePermission()) {
            // only a look: the call itself acquires its own permission
            breaker.releasePermission();
            return Optional.empty();
        }
        return Optional.of(retryAfter());
    }

    /** How long until an open circuit lets a trial call through; at least a second. */
    public Duration retryAfter() {
        long waited = nanoTime.getAsLong() - openedAt.get();
        long left = openWait.toNanos() - waited;
        long seconds = Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
        return Duration.ofSeconds(seconds);
    }

    /** The Resilience4j breaker, or {@code null} when disabled: for the starter's model wrapper. */
    CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public String toString() {
        return "ModelCircuit[" + model + ", " + state() + "]";
    }
}
