package io.openautoglm.glm;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how long to wait before repeating a failed call. Only {@linkplain GlmException#isRetriable()
 * retriable} failures are repeated: 429 with {@code 1302/1303/1305/1312}, 5xx and {@code 1200/1230/1234},
 * network failures. {@code 1113} (no balance), {@code 1261} (prompt too long), {@code 1301} (content filter) and
 * authentication errors never are.
 *
 * <p>Delays grow exponentially from {@code initialDelay} by {@code multiplier} up to {@code maxDelay}, and a
 * random part ({@code jitter}, 0 to 1) spreads clients apart so that they do not retry in step. Platform
 * overload ({@code 1305}, {@code 1312}, 503) waits twice as long. A {@code Retry-After} from the server replaces
 * the computed delay when {@code honourRetryAfter} is set, capped at {@code maxRetryAfter}. Immutable.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(6).initialDelay(Duration.ofSeconds(1)).build();
 * }</pre>
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final boolean honourRetryAfter;
    private final Duration maxRetryAfter;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialDelay = b.initialDelay;
        this.maxDelay = b.maxDelay;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.honourRetryAfter = b.honourRetryAfter;
        this.maxRetryAfter = b.maxRetryAfter;
    }

    /** 4 attempts, 500 ms doubling to at most 20 s, jitter 0.5, {@code Retry-After} honoured up to 60 s. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** One attempt: nothing is repeated. */
    public static RetryPolicy none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    public boolean honourRetryAfter() {
        return honourRetryAfter;
    }

    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Whether to try again after {@code attemptsMade} attempts, the last of which failed with {@code failure}. */
    public boolean shouldRetry(GlmException failure, int attemptsMade) {
        return failure.isRetriable() && attemptsMade < maxAttempts;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry).
     *
     * @param random a number in [0, 1) that sets the jitter
     */
    public Duration delay(int retry, GlmException failure, double random) {
        if (honourRetryAfter && failure != null && failure.retryAfter().isPresent()) {
            Duration asked = failure.retryAfter().get();
            return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        }
        double base = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
        if (failure instanceof RateLimitException r && r.platformOverloaded()) {
            base *= 2;
        }
        base = Math.min(base, maxDelay.toNanos());
        double withJitter = base * (1 - jitter) + base * jitter * random;
        return Duration.ofNanos((long) withJitter);
    }

    public Builder toBuilder() {
        return new Builder()
                .maxAttempts(maxAttempts)
                .initialDelay(initialDelay)
                .maxDelay(maxDelay)
                .multiplier(multiplier)
                .jitter(jitter)
                .honourRetryAfter(honourRetryAfter)
                .maxRetryAfter(maxRetryAfter);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay
                + ", multiplier=" + multiplier + ", jitter=" + jitter + ", honourRetryAfter=" + honourRetryAfter
                + ", maxRetryAfter=" + maxRetryAfter + "]";
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private Builder() {}

        private int maxAttempts = 4;
        private Duration initialDelay = Duration.ofMillis(500);
        private Duration maxDelay = Duration.ofSeconds(20);
        private double multiplier = 2.0;
        private double jitter = 0.5;
        private boolean honourRetryAfter = true;
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        /** Attempts in all, the first included; 1 means no retry. */
        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxAttempts: must be at least 1, got " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        public Builder initialDelay(Duration value) {
            this.initialDelay = nonNegative("initialDelay", value);
            return this;
        }

        public Builder maxDelay(Duration value) {
            this.maxDelay = nonNegative("maxDelay", value);
            return this;
        }

        public Builder multiplier(double value) {
            if (!(value >= 1.0)) {
                throw new IllegalArgumentException("multiplier: must be at least 1.0, got " + value);
            }
            this.multiplier = value;
            return this;
        }

        /** The random share of each delay, 0 (none) to 1 (anything from zero to the full delay). */
        public Builder jitter(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("jitter: must be in [0, 1], got " + value);
            }
            this.jitter = value;
            return this;
        }

        public Builder honourRetryAfter(boolean value) {
            this.honourRetryAfter = value;
            return this;
        }

        public Builder maxRetryAfter(Duration value) {
            this.maxRetryAfter = nonNegative("maxRetryAfter", value);
            return this;
        }

        public RetryPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException(
                        "maxDelay: must not be below initialDelay " + initialDelay + ", got " + maxDelay);
            }
            return new RetryPolicy(this);
        }

        private static Duration nonNegative(String field, Duration d) {
            Objects.requireNonNull(d, field);
            if (d.isNegative()) {
                throw new IllegalArgumentException(field + ": must not be negative, got " + d);
            }
            return d;
        }
    }
}
