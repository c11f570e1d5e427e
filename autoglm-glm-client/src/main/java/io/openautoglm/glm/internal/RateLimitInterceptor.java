package io.openautoglm.glm.internal;

import java.util.Objects;

/**
 * Takes the next requests-per-minute slot of the client ({@link RpmLimiter}) before each attempt is sent, waiting
 * for it through the client's sleeper. It sits after the in-flight permit: a slot reserved before a long wait for a
 * permit would be spent at once when permits free, in a burst past the rate. Thread-safe.
 */
public final class RateLimitInterceptor implements Interceptor {
    private final RpmLimiter rpm;

    public RateLimitInterceptor(RpmLimiter rpm) {
        this.rpm = Objects.requireNonNull(rpm, "rpm");
    }

    @Override
    public <T> T intercept(Chain<T> chain) {
        try {
            rpm.acquire();
        } catch (InterruptedException e) {
            throw CallFailures.interrupted(chain.request().model(), e);
        }
        return chain.proceed(chain.request());
    }
}
