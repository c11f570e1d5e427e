package io.openautoglm.glm.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * Requests in flight for one model, GLM's own unit of rate limiting. The limit starts at the configured maximum,
 * is halved when the server says the account or the platform is saturated ({@code 1302}, {@code 1305}) and grows
 * back by one per "limit" successes (additive increase, multiplicative decrease). A burst of rejections from
 * requests that were all sent before the first one came back counts as one signal: the limit is cut at most once
 * per {@code decreaseInterval}. Thread-safe.
 */
public final class AimdLimiter {
    private final int max;
    private final boolean adaptive;
    private final Clock clock;
    private final long decreaseIntervalMillis;
    private int limit;
    private int successesAtLimit;
    private int inFlight;
    private long lastDecrease = Long.MIN_VALUE / 2;

    public AimdLimiter(int max, boolean adaptive, Clock clock, Duration decreaseInterval) {
        if (max < 1) {
            throw new IllegalArgumentException("maxInFlight: must be at least 1, got " + max);
        }
        this.max = max;
        this.adaptive = adaptive;
        this.clock = clock;
        this.decreaseIntervalMillis = decreaseInterval.toMillis();
        this.limit = max;
    }

    public synchronized void acquire() throws InterruptedException {
        while (inFlight >= limit) {
            wait();
        }
        inFlight++;
    }

    public synchronized void release() {
        inFlight--;
        notifyAll();
    }

    public synchronized void onSuccess() {
        if (adaptive && limit < max && ++successesAtLimit >= limit) {
            limit++;
            successesAtLimit = 0;
            notifyAll();
        }
    }

    /** The server refused for load: cut the limit, at most once per interval. Returns whether it was cut. */
    public synchronized boolean onOverload() {
        if (!adaptive) {
            return false;
        }
        long now = clock.millis();
        if (now - lastDecrease < decreaseIntervalMillis || limit <= 1) {
            return false;
        }
        lastDecrease = now;
        limit = Math.max(1, limit / 2);
        successesAtLimit = 0;
        return true;
    }

    public synchronized int limit() {
        return limit;
    }

    public synchronized int inFlight() {
        return inFlight;
    }
}
