package io.openautoglm.glm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openautoglm.glm.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The requests-per-minute step alone: each attempt waits for its slot before it is handed on. */
class RateLimitInterceptorTest {

    @Test
    void eachAttemptTakesTheNextSlotBeforeItIsSent() {
        List<String> events = new ArrayList<>();
        Sleeper sleeper = d -> events.add("wait " + d.toMillis());
        RateLimitInterceptor rate =
                new RateLimitInterceptor(new RpmLimiter(120, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), sleeper));
        FakeChain<String> chain = FakeChain.of("glm-4-flash", r -> {
            events.add("sent");
            return "ok";
        });
        for (int i = 0; i < 3; i++) {
            assertEquals("ok", chain.run(rate));
        }
        assertEquals(
                List.of("sent", "wait 500", "sent", "wait 1000", "sent"),
                events,
                "120 per minute: one every 500 ms, the wait before the send");
    }
}
