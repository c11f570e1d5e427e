package io.openautoglm.server.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per subject: {@code burst} tokens at most, refilled at {@code perSecond}; each request takes one.
 * Buckets of subjects idle long enough to be full again are dropped once there are many, so memory stays bounded by
 * the subjects active in the last {@code burst / perSecond} seconds. The clock is injected, so tests need no sleeps.
 * Thread-safe.
 */
public final class RateLimiter {
    private static final int SWEEP_ABOVE = 10_000;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes a token for the subject: empty when one was there, else how long until one will be (at least 1 s). */
    public Optional<Duration> acquire(String subject) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        Bucket b = buckets.computeIfAbsent(subject, s -> new Bucket(burst, now));
        synchronized (b) {
            b.refill(now, perNano, burst);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Optional.empty();
            }
            double nanos = (1 - b.tokens) / perNano;
            return Optional.of(Duration.ofSeconds(Math.max(1, (long) Math.ceil(nanos / 1e9))));
        }
    }

    private void sweep(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            synchronized (b) {
                b.refill(now, perNano, burst);
                if (b.tokens >= burst) {
                    it.remove();
                }
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now, double perNano, double burst) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) * perNano);
                at = now;
            }
        }
    }
}
