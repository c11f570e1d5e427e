package io.openautoglm.server.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bulkhead in front of the predictions: at most {@code maxConcurrent} run at once and at most {@code maxQueued}
 * wait, each no longer than {@code maxWait}; a request beyond that is shed at once with 503, so that requests never
 * pile up behind a slow model. Thread-safe.
 */
public final class PredictionGate {
    private final Semaphore running;
    private final AtomicInteger admitted = new AtomicInteger();
    private final int capacity;
    private final Duration maxWait;

    public PredictionGate(int maxConcurrent, int maxQueued, Duration maxWait) {
        this.running = new Semaphore(maxConcurrent, true);
        this.capacity = maxConcurrent + maxQueued;
        this.maxWait = maxWait;
    }

    /** A permit to run one prediction; close it when done. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a place to run.
     *
     * @throws ApiException {@link ErrorCode#OVERLOADED} when the queue is full or the wait ran out
     */
    public Permit enter() {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            throw new ApiException(
                    ErrorCode.OVERLOADED,
                    "too many predictions running and waiting (autoglm.server.bulkhead); try again shortly",
                    Duration.ofSeconds(1));
        }
        boolean acquired = false;
        try {
            acquired = running.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!acquired) {
                admitted.decrementAndGet();
            }
        }
        if (!acquired) {
            throw new ApiException(
                    ErrorCode.OVERLOADED,
                    "no prediction slot came free within " + maxWait.toMillis() + " ms (autoglm.server.bulkhead); "
                            + "try again shortly",
                    Duration.ofSeconds(1));
        }
        return () -> {
            running.release();
            admitted.decrementAndGet();
        };
    }

    /** Predictions running or waiting now. */
    public int admitted() {
        return admitted.get();
    }
}
