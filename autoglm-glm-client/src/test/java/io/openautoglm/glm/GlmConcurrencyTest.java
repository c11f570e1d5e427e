package io.openautoglm.glm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Many threads on one client: the budget and the per-minute rate hold for calls that waited for a permit. */
class GlmConcurrencyTest {
    MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    GlmClient.Builder client() {
        return TestSupport.client(server);
    }

    static ChatRequest req() {
        return ChatRequest.builder("glm-4-plus").user("hello").build();
    }

    /** SpendLimit: spend may pass the cap only by the calls in flight when it is reached (here at most 1). */
    @RepeatedTest(2)
    void callsQueuedOnTheLimiterAreNotSentPastTheBudget() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                sent.incrementAndGet();
                Thread.sleep(50);
                return new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(TestSupport.CHAT_ANSWER);
            }
        });
        SpendLimit budget = SpendLimit.ofTokens(2000); // exactly one call
        int threads = 8;
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try (GlmClient glm = client().maxInFlightPerModel(1)
                .adaptiveConcurrency(false)
                .budget(budget)
                .build()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(ex.submit(() -> {
                    go.await();
                    try {
                        glm.chat(req());
                    } catch (SpendLimitExceededException expected) {
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) f.get(20, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
        }
        assertTrue(
                sent.get() <= 2,
                "budget of one call, one call in flight at a time, but " + sent.get() + " calls sent; spent "
                        + budget.spentTokens() + " of " + budget.maxTokens() + " tokens");
    }

    /** requestsPerMinute(600): at most one request per 100 ms, spaced evenly. */
    @Test
    void requestsQueuedOnTheLimiterDoNotBurstPastTheRpm() throws Exception {
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean first = new AtomicBoolean(true);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                arrivals.add(System.nanoTime());
                if (first.getAndSet(false)) Thread.sleep(1500);
                return new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody(TestSupport.CHAT_ANSWER);
            }
        });
        int threads = 20;
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try (GlmClient glm = client().maxInFlightPerModel(1)
                .adaptiveConcurrency(false)
                .requestsPerMinute(600)
                .build()) {
            glm.chat(req()); // the connection, warmed up; the held first request is the next one
            arrivals.clear();
            first.set(true);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(ex.submit(() -> glm.chat(req())));
                Thread.sleep(5);
            }
            for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
        }
        List<Long> a = new ArrayList<>(arrivals);
        Collections.sort(a);
        int maxInOneSecond = 0;
        for (int i = 0; i < a.size(); i++) {
            int j = i;
            while (j < a.size() && a.get(j) - a.get(i) < 1_000_000_000L) j++;
            maxInOneSecond = Math.max(maxInOneSecond, j - i);
        }
        assertTrue(
                maxInOneSecond <= 11,
                "600 rpm allows 10 requests a second, server saw " + maxInOneSecond + " within one second");
    }
}
