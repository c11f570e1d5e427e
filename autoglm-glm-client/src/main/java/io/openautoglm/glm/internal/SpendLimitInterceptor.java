package io.openautoglm.glm.internal;

import io.openautoglm.glm.SpendLimit;
import io.openautoglm.glm.SpendLimitExceededException;
import java.util.Objects;

/**
 * Sends nothing once the {@link SpendLimit} is spent. It sits after the in-flight permit: other calls may have spent
 * the budget while this one waited for a permit. Spend is recorded as answers are read ({@link UsageCounter}).
 * Thread-safe.
 */
public final class SpendLimitInterceptor implements Interceptor {
    private final SpendLimit budget;

    public SpendLimitInterceptor(SpendLimit budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    @Override
    public <T> T intercept(Chain<T> chain) {
        if (budget.exhausted()) {
            throw new SpendLimitExceededException("budget exhausted: " + budget + "; the call to "
                    + chain.request().model() + " was not sent");
        }
        return chain.proceed(chain.request());
    }
}
