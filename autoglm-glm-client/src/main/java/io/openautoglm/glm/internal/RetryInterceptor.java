package io.openautoglm.glm.internal;

import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.FinishReason;
import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.GlmNetworkException;
import io.openautoglm.glm.NonRetriableGlmException;
import io.openautoglm.glm.RetryPolicy;
import io.openautoglm.glm.Sleeper;
import io.openautoglm.glm.SpendLimitExceededException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a call is repeated. Each attempt runs the rest of the chain; a retriable failure is repeated
 * under the {@link RetryPolicy} after its delay (exponential with jitter, or the server's {@code Retry-After}),
 * waited out through the injected {@link Sleeper} with no permit or endpoint held. Not repeated: a non-retriable
 * failure, the last attempt's, a spent budget, and a stream whose content already reached the caller. A call whose
 * credential was just renewed is repeated once more without counting an attempt. A closed client or a cancelled
 * call starts no further attempt.
 *
 * <p>For calls that ask for it ({@link GlmCall#repeatsUnfinished()}) unfinished answers are repeated too, within
 * the same attempts: an answer ending in {@code network_error}, and a stream cut after its content had arrived.
 *
 * <p>Counts retries and failed calls in the {@link UsageCounter}. Thread-safe.
 */
public final class RetryInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final UsageCounter usage;
    private final BooleanSupplier closed;

    public RetryInterceptor(
            RetryPolicy policy, Sleeper sleeper, RandomGenerator random, UsageCounter usage, BooleanSupplier closed) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.closed = Objects.requireNonNull(closed, "closed");
    }

    @Override
    public <T> T intercept(Chain<T> chain) {
        GlmCall<T> call = chain.call();
        String model = chain.request().model();
        int attempt = 0;
        while (true) {
            if (closed.getAsBoolean()) {
                throw CallFailures.closed();
            }
            if (call.cancelled()) {
                usage.failed();
                throw CallFailures.cancelled(model, null);
            }
            attempt++;
            call.startAttempt(attempt);
            GlmException failure;
            try {
                T result = chain.proceed(chain.request());
                if (!(call.repeatsUnfinished()
                        && result instanceof ChatResponse r
                        && r.finishReason() == FinishReason.NETWORK_ERROR
                        && attempt < policy.maxAttempts())) {
                    return result;
                }
                // a network_error answer is still a paid answer: handed over before it is asked again
                call.unfinished(r);
                failure = null;
            } catch (SpendLimitExceededException e) {
                throw e;
            } catch (GlmException e) {
                failure = e;
            } catch (RuntimeException e) {
                // The caller's stream consumer threw, or something unexpected: not the endpoint's fault, not retried.
                usage.failed();
                throw e;
            }
            if (failure != null) {
                if (call.cancelled()) {
                    usage.failed();
                    throw CallFailures.cancelled(model, failure);
                }
                if (call.takeFreeRepeat()) {
                    attempt--;
                    continue;
                }
                boolean unseen =
                        !call.delivered().get() || (call.repeatsUnfinished() && failure instanceof GlmNetworkException);
                if (!unseen || !policy.shouldRetry(failure, attempt)) {
                    usage.failed();
                    throw failure;
                }
            }
            usage.retried();
            Duration wait = policy.delay(attempt, failure, random.nextDouble());
            LOG.debug(
                    "GLM attempt {} of {} {}, retrying in {} ms{}",
                    attempt,
                    policy.maxAttempts(),
                    failure == null ? "ended in finish_reason network_error" : "failed",
                    wait.toMillis(),
                    failure == null ? "" : ": " + failure.getMessage());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                usage.failed();
                throw new NonRetriableGlmException(
                        "GLM call to " + model + " interrupted while waiting to retry", e, 0, null);
            }
        }
    }
}
