package io.openautoglm.glm.internal;

/**
 * One step of the client's request policy, built the way OkHttp builds calls: an interceptor looks at the request,
 * hands it on with {@link Chain#proceed} (once, several times, or not at all), and looks at what comes back or at
 * what was thrown. The client composes, outermost first:
 *
 * <ol>
 *   <li>{@link RetryInterceptor}: attempts, backoff with the injected sleeper, {@code Retry-After}, cancellation,
 *       and the repeat of unfinished answers for callers that ask for it;</li>
 *   <li>{@link InFlightLimitInterceptor}: the per-model in-flight permit, lowered on overload (AIMD);</li>
 *   <li>{@link SpendLimitInterceptor}: the budget, checked once the permit is held;</li>
 *   <li>{@link RateLimitInterceptor}: the requests-per-minute slot, reserved only once the permit is held;</li>
 *   <li>{@link EndpointInterceptor}: the endpoint of this attempt, failover and health;</li>
 *   <li>{@link AuthInterceptor}: the API key or a JWT, renewed once when the server calls it expired;</li>
 *   <li>{@link HttpCall}: the HTTP exchange, error mapping, and the reading of the answer.</li>
 * </ol>
 *
 * <p>Interceptors throw only unchecked exceptions: {@link io.openautoglm.glm.GlmException}s for what the server or
 * the network did, anything else for what the caller did (a stream consumer that threw). Implementations must be
 * thread-safe: one instance serves every call of a client.
 */
public interface Interceptor {

    /** Runs this step of the call, usually around {@code chain.proceed(chain.request())}. */
    <T> T intercept(Chain<T> chain);

    /** The rest of the chain, as seen from one interceptor. */
    interface Chain<T> {

        /** The request as the interceptors before this one have shaped it. */
        GlmRequest request();

        /**
         * Hands {@code request} to the next interceptor and returns what it returned. May be called again (another
         * attempt) once the previous call has returned or thrown.
         */
        T proceed(GlmRequest request);

        /** The state of the whole call, shared by its attempts: attempt number, endpoints to avoid, cancellation. */
        GlmCall<T> call();
    }
}
