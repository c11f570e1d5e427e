package io.openautoglm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rate limit (429), the circuit breaker per model (503, health) and the bulkhead (503 when full). */
class ProtectionTest extends ServerTestBase {

    @BeforeEach
    void ready() {
        awaitReady();
    }

    @Test
    void aSubjectOverItsRateIsAnswered429WithRetryAfterWhileOthersGoOn() {
        String greedy = token(subject(), SECRET, java.time.Instant.now().plusSeconds(600), "user");
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            answers.add(get("/api/v1/pipelines", greedy));
        }
        Answer limited = answers.stream()
                .filter(a -> a.status() == 429)
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("15 requests at a rate of 5/s with a burst of 5 were all let through"));
        assertEquals(42900, limited.code(), limited.toString());
        assertTrue(limited.data().isNull());
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1, limited.toString());
        assertEquals(200, answers.get(0).status(), "the burst goes through");
        assertEquals(200, get("/api/v1/pipelines", token("user")).status(), "another subject has its own bucket");
    }

    @Test
    void aFailingEndpointOpensTheModelsCircuitWhich503sQuicklyWhileReadinessStaysUpUntilItRecovers() {
        FAILING.set(true);
        try {
            Answer failed = predict("flaky", token("user"), "[{\"text\": \"一\"}, {\"text\": \"二\"}]");
            assertEquals(200, failed.status(), failed.toString());
            assertEquals(
                    "MODEL_ERROR",
                    failed.data()
                            .get("results")
                            .get(0)
                            .get("failure")
                            .get("kind")
                            .asText(),
                    failed.toString());

            long start = System.nanoTime();
            Answer open = predict("flaky", token("user"), "[{\"text\": \"三\"}]");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, open.status(), open.toString());
            assertEquals(50301, open.code(), open.toString());
            int retryAfter = Integer.parseInt(open.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 2, open.toString());
            assertTrue(millis < 1000, "refused without calling the model: " + millis + " ms");

            // the circuit is the GLM endpoint's, open on every instance at once: readiness stays up, so that the
            // load balancer keeps the instance and its other pipelines; the full health says the model is down
            Answer readiness = get("/actuator/health/readiness", token("user"));
            assertEquals(200, readiness.status(), readiness.toString());
            assertEquals(
                    "UP",
                    readiness
                            .json()
                            .at("/components/autoglm/components/flaky/status")
                            .asText());
            assertEquals(
                    "OPEN",
                    readiness
                            .json()
                            .at("/components/autoglm/components/flaky/details/circuit")
                            .asText());
            assertTrue(readiness.json().at("/components/autoglmCircuits").isMissingNode(), readiness.toString());
            Answer health = get("/actuator/health", token("user"));
            assertEquals(503, health.status(), health.toString());
            assertEquals(
                    "DOWN",
                    health.json()
                            .at("/components/autoglmCircuits/components/flaky/status")
                            .asText());
            assertEquals(
                    "UP",
                    health.json()
                            .at("/components/autoglmCircuits/components/local/status")
                            .asText());
            assertEquals(
                    "UP",
                    health.json()
                            .at("/components/autoglm/components/flaky/status")
                            .asText());
            assertEquals(200, get("/actuator/health/liveness", null).status(), "alive all the same");
            assertTrue(get("/actuator/prometheus", null)
                    .raw()
                    .body()
                    .contains("autoglm_model_circuit_state{model=\"glm-4-flash\",state=\"open\"} 1.0"));
            assertEquals(
                    200, predict("local", token("user"), "[{\"text\": \"好\"}]").status(), "other models serve");
        } finally {
            FAILING.set(false);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Answer recovered;
        do {
            sleep(250);
            recovered = predict("flaky", token("user"), "[{\"text\": \"好\"}]");
        } while (recovered.status() == 503 && System.nanoTime() < deadline);
        assertEquals(200, recovered.status(), recovered.toString());
        assertEquals("正面", recovered.data().get("results").get(0).get("label").asText(), recovered.toString());
        assertEquals(200, get("/actuator/health", null).status(), "answering again: the trial call closed it");
    }

    @Test
    void predictionsBeyondTheBulkheadAndItsQueueAreShedWith503() throws Exception {
        // 2 may run and 1 wait (300 ms at most); each of these takes 1.5 s at the GLM test server
        List<CompletableFuture<Answer>> calls = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(5);
        List<Answer> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                String token = token("user");
                calls.add(CompletableFuture.supplyAsync(() -> predict("glm", token, "[{\"text\": \"慢\"}]"), clients));
            }
            for (CompletableFuture<Answer> c : calls) {
                answers.add(c.get());
            }
        } finally {
            clients.shutdown();
        }
        long ok = answers.stream().filter(a -> a.status() == 200).count();
        List<Answer> shed = answers.stream().filter(a -> a.status() == 503).toList();
        assertEquals(5, ok + shed.size(), answers.toString());
        assertTrue(ok >= 1 && ok <= 2, "at most two run at once: " + answers);
        assertTrue(shed.size() >= 3, answers.toString());
        for (Answer a : shed) {
            assertEquals(50300, a.code(), a.toString());
            assertEquals("1", a.header("Retry-After"), a.toString());
        }
    }
}
