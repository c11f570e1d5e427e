package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.RateLimitException;
import io.openautoglm.glm.ServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The endpoint step alone: which endpoint an attempt goes to, and what its failures do to the endpoint. */
class EndpointInterceptorTest {
    private static final Endpoint MAIN = Endpoint.builder()
            .name("main")
            .baseUrl("https://a.example/v4/")
            .apiKey("key-a-0123456789")
            .build();
    private static final Endpoint SPARE = Endpoint.builder()
            .name("spare")
            .baseUrl("https://b.example/v4/")
            .apiKey("key-b-0123456789")
            .build();

    private final EndpointPool pool = new EndpointPool(
            List.of(MAIN, SPARE),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            2,
            Duration.ofSeconds(30),
            new SplittableRandom(1));
    private final EndpointInterceptor endpoints = new EndpointInterceptor(pool);

    private static FakeChain<String> failing(GlmException e) {
        return FakeChain.of("glm-4-flash", r -> {
            throw e;
        });
    }

    @Test
    void theAttemptCarriesItsEndpointAndAFailedEndpointIsAvoidedByTheNextAttempt() {
        FakeChain<String> chain = failing(new ServerException("500", 500, null, null));
        assertThrows(ServerException.class, () -> chain.run(endpoints));
        Endpoint first = chain.proceeded.get(0).endpoint();
        assertEquals(1, chain.call().avoid().size());
        assertThrows(ServerException.class, () -> chain.run(endpoints));
        Endpoint second = chain.proceeded.get(1).endpoint();
        assertFalse(first == second, "the retry went to the other endpoint");
        assertEquals(
                List.of(first, second).stream().map(Endpoint::name).sorted().toList(), List.of("main", "spare"));
    }

    @Test
    void serverFailuresTakeAnEndpointOutButRateLimitsDoNot() {
        for (int i = 0; i < 4; i++) {
            FakeChain<String> limited = failing(new RateLimitException("1302", 429, "1302", null));
            assertThrows(RateLimitException.class, () -> limited.run(endpoints));
        }
        assertEquals(List.of(true, true), List.copyOf(pool.health().values()), "a busy account is no broken endpoint");
        for (int i = 0; i < 4; i++) {
            assertThrows(
                    ServerException.class,
                    () -> failing(new ServerException("500", 500, null, null)).run(endpoints));
        }
        assertTrue(pool.health().containsValue(false), "two failures in a row take an endpoint out: " + pool.health());
        FakeChain<String> ok = FakeChain.of("glm-4-flash", r -> r.endpoint().name());
        String served = ok.run(endpoints);
        assertTrue(pool.health().get(served), served + " is in and answered");
    }
}
