package io.openautoglm.glm;

import io.openautoglm.glm.testing.GlmTestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Shared helpers: a sleeper that records instead of sleeping, a clock the test moves, client set-up. */
final class TestSupport {
    static final String KEY = "test-key-0123456789abcdef";

    private TestSupport() {}

    /** Records each requested wait and returns at once. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public synchronized void sleep(Duration duration) {
            sleeps.add(duration);
        }

        synchronized List<Duration> sleeps() {
            return List.copyOf(sleeps);
        }
    }

    /** A clock that stands still until moved. */
    static final class TestClock extends Clock {
        final AtomicLong millis;
        final long tick;

        TestClock(long start, long tickPerRead) {
            this.millis = new AtomicLong(start);
            this.tick = tickPerRead;
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.getAndAdd(tick);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static RetryPolicy fastRetries(int attempts) {
        return RetryPolicy.builder()
                .maxAttempts(attempts)
                .initialDelay(Duration.ofMillis(1))
                .maxDelay(Duration.ofMillis(5))
                .build();
    }

    static GlmClient.Builder client(GlmTestServer server, RecordingSleeper sleeper) {
        return GlmClient.builder()
                .apiKey(KEY)
                .baseUrl(server.baseUrl())
                .sleeper(sleeper)
                .retryPolicy(fastRetries(3))
                .readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(10))
                .environment(name -> null);
    }

    /** A chat answer of 1,000 prompt and 1,000 completion tokens, as a raw server would send it. */
    static final String CHAT_ANSWER = "{\"id\":\"x\",\"model\":\"glm-4-plus\",\"choices\":[{\"index\":0,"
            + "\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}],"
            + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":1000,\"total_tokens\":2000}}";

    /** A client of a raw MockWebServer, one attempt per call, real sleeps (the rate limiters wait for real). */
    static GlmClient.Builder client(okhttp3.mockwebserver.MockWebServer server) {
        return GlmClient.builder()
                .apiKey(KEY)
                .baseUrl(server.url("/api/paas/v4/").toString())
                .environment(n -> null)
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).build());
    }

    static ChatRequest hello() {
        return ChatRequest.builder("glm-4-flash").user("hello").build();
    }
}
