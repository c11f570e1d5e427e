package io.openautoglm.glm;

import static io.openautoglm.glm.TestSupport.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.glm.TestSupport.RecordingSleeper;
import io.openautoglm.glm.TestSupport.TestClock;
import io.openautoglm.glm.internal.AimdLimiter;
import io.openautoglm.glm.internal.RpmLimiter;
import io.openautoglm.glm.testing.GlmTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LimiterTest {

    @Test
    void aimdHalvesOnOverloadOncePerIntervalAndGrowsBack() {
        TestClock clock = new TestClock(0, 0);
        AimdLimiter l = new AimdLimiter(8, true, clock, Duration.ofSeconds(1));
        assertEquals(8, l.limit());
        assertTrue(l.onOverload());
        assertEquals(4, l.limit());
        assertFalse(l.onOverload(), "a burst of rejections counts once");
        assertEquals(4, l.limit());
        clock.advance(Duration.ofSeconds(2));
        l.onOverload();
        assertEquals(2, l.limit());
        int successes = 0;
        while (l.limit() < 8) {
            l.onSuccess();
            successes++;
        }
        assertEquals(2 + 3 + 4 + 5 + 6 + 7, successes, "one more per 'limit' successes");
        for (int i = 0; i < 100; i++) {
            l.onSuccess();
        }
        assertEquals(8, l.limit(), "never above the configured maximum");
        AimdLimiter fixed = new AimdLimiter(8, false, clock, Duration.ofSeconds(1));
        assertFalse(fixed.onOverload());
        assertEquals(8, fixed.limit());
    }

    @Test
    void aimdBlocksCallersBeyondTheLimit() throws Exception {
        AimdLimiter l = new AimdLimiter(1, true, new TestClock(0, 0), Duration.ofSeconds(1));
        l.acquire();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                l.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(50);
        assertFalse(second.isDone());
        l.release();
        second.get(2, TimeUnit.SECONDS);
        assertEquals(1, l.inFlight());
    }

    @Test
    void requestsPerMinuteAreSpacedEvenly() throws Exception {
        RecordingSleeper sleeper = new RecordingSleeper();
        RpmLimiter l = new RpmLimiter(60, new TestClock(0, 0), sleeper);
        l.acquire();
        l.acquire();
        l.acquire();
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeper.sleeps());
    }

    @Test
    void theClientBacksOffWhenTheAccountIsSaturatedAndEveryCallStillCompletes() {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (GlmTestServer server = GlmTestServer.builder()
                        .latency(Duration.ofMillis(20))
                        .maxConcurrentPerModel(2)
                        .build()
                        .start();
                GlmClient glm = GlmClient.builder()
                        .apiKey(KEY)
                        .baseUrl(server.baseUrl())
                        .maxInFlightPerModel(8)
                        .retryPolicy(RetryPolicy.builder()
                                .maxAttempts(30)
                                .initialDelay(Duration.ofMillis(2))
                                .maxDelay(Duration.ofMillis(20))
                                .build())
                        .executor(pool)
                        .build()) {
            List<CompletableFuture<ChatResponse>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(glm.chatAsync(
                        ChatRequest.builder("glm-4-flash").user("n" + i).build()));
            }
            all.forEach(f -> assertEquals("ok", f.join().content()));
            assertEquals(40, server.answered());
            assertTrue(glm.usage().retries() > 0, "the server's 1302s were retried");
            assertTrue(server.requestCount() > 40);
        } finally {
            pool.shutdownNow();
        }
    }
}
