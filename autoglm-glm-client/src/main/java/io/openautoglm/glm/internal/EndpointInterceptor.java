package io.openautoglm.glm.internal;

import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.RateLimitException;
import java.util.Objects;

/**
 * Chooses the endpoint of each attempt from the {@link EndpointPool} and reports how the attempt went. A server or
 * network failure counts against the endpoint (enough in a row take it out); a rate limit does not, since it says
 * the account is busy, not that the endpoint is broken. With several endpoints, one that failed this call is avoided
 * by its next attempt. Thread-safe.
 */
public final class EndpointInterceptor implements Interceptor {
    private final EndpointPool pool;

    public EndpointInterceptor(EndpointPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public <T> T intercept(Chain<T> chain) {
        GlmCall<T> call = chain.call();
        EndpointPool.State state = pool.acquire(call.avoid());
        try {
            T result = chain.proceed(chain.request().withEndpoint(state.endpoint()));
            pool.release(state, true, false);
            return result;
        } catch (GlmException e) {
            pool.release(state, false, e.isRetriable() && !(e instanceof RateLimitException));
            if (pool.size() > 1) {
                call.avoid().add(state);
            }
            throw e;
        } catch (RuntimeException e) {
            pool.release(state, false, false);
            throw e;
        }
    }
}
