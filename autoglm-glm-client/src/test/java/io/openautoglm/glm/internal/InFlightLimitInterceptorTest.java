package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.openautoglm.glm.RateLimitException;
import io.openautoglm.glm.ServerException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The in-flight step alone: a permit of the request's model held for the attempt, the limit lowered on overload. */
class InFlightLimitInterceptorTest {
    private final InFlightLimitInterceptor limits =
            new InFlightLimitInterceptor(8, true, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @Test
    void aPermitOfTheModelIsHeldWhileTheAttemptRunsAndReleasedAfter() {
        FakeChain<Integer> chain = FakeChain.of(
                "glm-4-flash",
                r -> limits.limiter("glm-4-flash").inFlight()
                        + 10 * limits.limiter("glm-4-plus").inFlight());
        assertEquals(1, chain.run(limits), "one permit of glm-4-flash, none of glm-4-plus");
        assertEquals(0, limits.limiter("glm-4-flash").inFlight());

        FakeChain<Integer> failing = FakeChain.of("glm-4-flash", r -> {
            throw new ServerException("500", 500, null, null);
        });
        assertThrows(ServerException.class, () -> failing.run(limits));
        assertEquals(0, limits.limiter("glm-4-flash").inFlight(), "released on failure too");
        assertEquals(8, limits.limiter("glm-4-flash").limit(), "a server error is not an overload");
    }

    @Test
    void anOverloadHalvesTheLimitAndSuccessesBringItBack() {
        FakeChain<String> overloaded = FakeChain.of("glm-4-flash", r -> {
            throw new RateLimitException("1305", 429, "1305", null);
        });
        assertThrows(RateLimitException.class, () -> overloaded.run(limits));
        assertEquals(4, limits.limiter("glm-4-flash").limit());
        assertEquals(8, limits.limiter("glm-4-plus").limit(), "per model");
        FakeChain<String> ok = FakeChain.of("glm-4-flash", r -> "ok");
        for (int i = 0; i < 4; i++) {
            ok.run(limits);
        }
        assertEquals(5, limits.limiter("glm-4-flash").limit(), "one more after as many successes as the limit");
    }
}
