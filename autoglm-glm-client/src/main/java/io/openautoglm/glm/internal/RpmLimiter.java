package io.openautoglm.glm.internal;

import io.openautoglm.glm.Sleeper;
import java.time.Clock;
import java.time.Duration;

/**
 * At most {@code rpm} requests per minute, spaced evenly: each caller reserves the next free slot and sleeps
 * until it. Reserving under the lock and sleeping outside it keeps callers in order without holding the lock.
 * Thread-safe.
 */
public final class RpmLimiter {
    private final long intervalMillis;
    private final Clock clock;
    private final Sleeper sleeper;
    private long next;

    public RpmLimiter(int rpm, Clock clock, Sleeper sleeper) {
        if (rpm < 1) {
            throw new IllegalArgumentException("requestsPerMinute: must be at least 1, got " + rpm);
        }
        this.intervalMillis = Math.max(1, 60_000L / rpm);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = clock.millis();
            long slot = Math.max(now, next);
            next = slot + intervalMillis;
            wait = slot - now;
        }
        if (wait > 0) {
            sleeper.sleep(Duration.ofMillis(wait));
        }
    }
}
