package io.openautoglm.glm.internal;

import io.openautoglm.glm.AuthMode;
import io.openautoglm.glm.AuthenticationException;
import io.openautoglm.glm.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs each attempt for its endpoint: {@code Authorization: Bearer} with the endpoint's API key, or with a JWT made
 * from it ({@link Jwt}, cached until shortly before it expires). When the server calls a JWT expired
 * ({@code 1003}) — a skewed clock, a cached token — the token is dropped and the call is granted one repeat that does
 * not count as an attempt ({@link GlmCall#grantFreeRepeat()}); the next attempt signs a fresh one. Needs the
 * endpoint, so it comes after {@link EndpointInterceptor}. Thread-safe.
 */
public final class AuthInterceptor implements Interceptor {
    private final AuthMode mode;
    private final Map<String, Jwt> jwts = new ConcurrentHashMap<>();

    public AuthInterceptor(AuthMode mode, List<Endpoint> endpoints, Clock clock, Duration jwtTtl) {
        this.mode = mode;
        if (mode == AuthMode.JWT) {
            for (Endpoint e : endpoints) {
                jwts.computeIfAbsent(e.apiKey(), k -> new Jwt(k, clock, jwtTtl, Duration.ofMinutes(1)));
            }
        }
    }

    @Override
    public <T> T intercept(Chain<T> chain) {
        GlmRequest request = chain.request();
        Endpoint ep = request.endpoint();
        if (ep == null) {
            throw new IllegalStateException(
                    "AuthInterceptor got a request without an endpoint: it must come after " + "EndpointInterceptor");
        }
        Jwt jwt = mode == AuthMode.JWT ? jwts.get(ep.apiKey()) : null;
        if (mode == AuthMode.JWT && jwt == null) {
            throw new IllegalStateException("AuthInterceptor has no JWT signer for endpoint " + ep.name());
        }
        String token = jwt != null ? jwt.token() : ep.apiKey();
        try {
            return chain.proceed(request.withHeader("Authorization", "Bearer " + token));
        } catch (AuthenticationException e) {
            if (jwt != null && e.tokenExpired() && chain.call().grantFreeRepeat()) {
                jwt.invalidate(token);
            }
            throw e;
        }
    }
}
