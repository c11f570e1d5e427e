package io.openautoglm.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket and the bulkhead on their own, with an injected clock where time matters. */
class ProtectionPartsTest {

    @Test
    void theBucketLetsTheBurstThroughThenRefillsAtItsRate() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(2, 3, now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.acquire("a"), "burst #" + i);
        }
        assertEquals(
                Optional.of(Duration.ofSeconds(1)), limiter.acquire("a"), "empty: one token in 0.5 s, shown as 1 s");
        assertEquals(Optional.empty(), limiter.acquire("b"), "each subject has its own bucket");
        now.addAndGet(500_000_000L);
        assertEquals(Optional.empty(), limiter.acquire("a"), "2 per second: one token after 0.5 s");
        assertTrue(limiter.acquire("a").isPresent());
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.acquire("a"), "refilled to the burst, no further");
        }
        assertTrue(limiter.acquire("a").isPresent());
    }

    @Test
    void aSlowRateAsksForALongerWait() {
        RateLimiter limiter = new RateLimiter(0.1, 1, () -> 0L);
        limiter.acquire("a");
        assertEquals(Optional.of(Duration.ofSeconds(10)), limiter.acquire("a"));
    }

    @Test
    void theGateRunsAtMostItsLimitQueuesAFewAndShedsTheRest() throws Exception {
        PredictionGate gate = new PredictionGate(1, 1, Duration.ofMillis(50));
        PredictionGate.Permit first = gate.enter();
        ApiException timedOut = assertThrows(ApiException.class, gate::enter, "queued, then the wait ran out");
        assertEquals(ErrorCode.OVERLOADED, timedOut.code());
        assertEquals(1, gate.admitted(), "the one that timed out left the queue");

        Thread waiter = new Thread(() -> {
            try (PredictionGate.Permit p = gate.enter()) {
                // held briefly
            } catch (ApiException e) {
                // may time out on a slow machine; the shed below does not depend on it
            }
        });
        PredictionGate slow = new PredictionGate(1, 1, Duration.ofSeconds(5));
        PredictionGate.Permit running = slow.enter();
        Thread queued = new Thread(() -> slow.enter().close());
        queued.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (slow.admitted() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        ApiException shed = assertThrows(ApiException.class, slow::enter, "one running, one waiting: full");
        assertEquals(ErrorCode.OVERLOADED, shed.code());
        assertEquals(Duration.ofSeconds(1), shed.retryAfter());
        running.close();
        queued.join(5000);
        assertEquals(0, slow.admitted());
        first.close();
        waiter.start();
        waiter.join(5000);
        assertEquals(0, gate.admitted());
    }
}
