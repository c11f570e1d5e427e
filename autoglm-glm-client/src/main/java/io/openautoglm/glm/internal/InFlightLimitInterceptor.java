package io.openautoglm.glm.internal;

import io.openautoglm.glm.RateLimitException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one of the model's in-flight permits for the whole attempt (GLM limits concurrency per model), waiting for
 * one if needed. The limit of each model is an {@link AimdLimiter}: lowered when the server answers
 * {@code 1302}/{@code 1303}/{@code 1305}/{@code 1312}, raised again as attempts succeed. It comes first among the
 * limits, so that the budget is checked and the per-minute slot reserved only once the permit is held. Thread-safe.
 */
public final class InFlightLimitInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(InFlightLimitInterceptor.class);

    private final int maxPerModel;
    private final boolean adaptive;
    private final Clock clock;
    private final Map<String, AimdLimiter> limiters = new ConcurrentHashMap<>();

    public InFlightLimitInterceptor(int maxPerModel, boolean adaptive, Clock clock) {
        this.maxPerModel = maxPerModel;
        this.adaptive = adaptive;
        this.clock = clock;
    }

    /** The model's limiter, made on first use. */
    public AimdLimiter limiter(String model) {
        return limiters.computeIfAbsent(
                model, m -> new AimdLimiter(maxPerModel, adaptive, clock, Duration.ofSeconds(1)));
    }

    @Override
    public <T> T intercept(Chain<T> chain) {
        String model = chain.request().model();
        AimdLimiter limiter = limiter(model);
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            throw CallFailures.interrupted(model, e);
        }
        try {
            T result = chain.proceed(chain.request());
            limiter.onSuccess();
            return result;
        } catch (RateLimitException e) {
            if (limiter.onOverload()) {
                LOG.debug("GLM {} for {}: in-flight limit lowered to {}", e.code(), model, limiter.limit());
            }
            throw e;
        } finally {
            limiter.release();
        }
    }
}
