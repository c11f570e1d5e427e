package io.openautoglm.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Failure;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.TextRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AutoGlmPipelinesTest {
    static final String SPEC = """
            {"version": 1,
             "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"]},
             "model": {"name": "scripted:model"},
             "run": {"batchSize": 2, "concurrency": 1}}
            """;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void reset() {
        ScriptedProvider.reset();
    }

    private AutoGlmPipelines registry(AutoGlmProperties.CircuitBreaker breaker) {
        return AutoGlmPipelines.builder()
                .meterRegistry(meters)
                .circuitBreaker(breaker)
                .warmUp(false)
                .build();
    }

    private static PipelineResult run(ServedPipeline p, int records) {
        List<TextRecord> list = new java.util.ArrayList<>();
        for (int i = 0; i < records; i++) {
            list.add(TextRecord.of("text " + i));
        }
        return p.run(Dataset.of(list));
    }

    @Test
    void aModelThatKeepsFailingOpensItsCircuitWhichRefusesCallsUntilItsWaitIsOverThenClosesOnSuccess()
            throws Exception {
        var breaker = new AutoGlmProperties.CircuitBreaker(true, 50, 4, 2, Duration.ofMillis(300), 1);
        try (AutoGlmPipelines pipelines = registry(breaker)) {
            ServedPipeline p = pipelines.register("flaky", SPEC);
            ScriptedProvider.mode.set(ScriptedProvider.Mode.FAIL_RECORDS);
            run(p, 4); // two calls of two records, both failed on the model's side
            assertEquals(ModelCircuit.State.OPEN, p.circuit().state());
            assertTrue(p.circuit().admit().isPresent(), "an open circuit refuses");
            assertEquals(Duration.ofSeconds(1), p.circuit().admit().orElseThrow(), "at least a second");

            int callsBefore = ScriptedProvider.calls.get();
            PipelineResult refused = run(p, 2);
            assertEquals(callsBefore, ScriptedProvider.calls.get(), "nothing reached the model");
            assertEquals(
                    Failure.Kind.MODEL_ERROR, refused.results().get(0).failure().kind());
            assertTrue(refused.results().get(0).failure().message().contains("circuit breaker"), refused.toString());
            assertEquals(
                    1.0,
                    meters.get(AutoGlmMetrics.CALLS_REJECTED)
                            .tag("pipeline", "flaky")
                            .counter()
                            .count());
            assertEquals(
                    1.0,
                    meters.get(AutoGlmMetrics.CIRCUIT_STATE)
                            .tags("model", "scripted:model", "state", "open")
                            .gauge()
                            .value());

            ScriptedProvider.mode.set(ScriptedProvider.Mode.ANSWER);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (p.circuit().admit().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(ModelCircuit.State.HALF_OPEN, p.circuit().state(), "the wait is over: a trial call may go");
            assertEquals(0, run(p, 1).failed());
            assertEquals(ModelCircuit.State.CLOSED, p.circuit().state(), "the trial call succeeded");
        }
    }

    @Test
    void aThrowingModelCountsAsFailedCallsAndEachCallIsMeasuredWithItsErrorType() {
        var breaker = new AutoGlmProperties.CircuitBreaker(true, 50, 10, 10, Duration.ofSeconds(30), 1);
        try (AutoGlmPipelines pipelines = registry(breaker)) {
            ServedPipeline p = pipelines.register("thrower", SPEC);
            assertEquals(0, run(p, 2).failed());
            ScriptedProvider.mode.set(ScriptedProvider.Mode.THROW);
            PipelineResult r = run(p, 2);
            assertEquals(2, r.failed());
            assertEquals(ModelCircuit.State.CLOSED, p.circuit().state(), "two calls are fewer than the minimum");

            var ok = meters.get(AutoGlmMetrics.OPERATION_DURATION)
                    .tags("pipeline", "thrower", "outcome", "success", "error.type", "none")
                    .tag("gen_ai.request.model", "scripted:model")
                    .timer();
            var failed = meters.get(AutoGlmMetrics.OPERATION_DURATION)
                    .tags("outcome", "error", "error.type", "IllegalStateException")
                    .timer();
            assertEquals(1, ok.count());
            assertEquals(1, failed.count());
            assertEquals(
                    14.0,
                    meters.get(AutoGlmMetrics.TOKEN_USAGE)
                            .tags("gen_ai.token.type", "input", "outcome", "success")
                            .summary()
                            .totalAmount());
            assertEquals(
                    8.0,
                    meters.get(AutoGlmMetrics.TOKENS)
                            .tags("type", "completion")
                            .counter()
                            .count(),
                    "the tokens a failed call used count too");
            assertEquals(1.0, meters.get(AutoGlmMetrics.COST).counter().count(), 1e-9);
            assertEquals(
                    2.0,
                    meters.get(AutoGlmMetrics.RECORDS_PROCESSED)
                            .tags("outcome", "success", "task", "TEXT_CLASSIFICATION")
                            .counter()
                            .count());
            assertEquals(
                    2.0,
                    meters.get(AutoGlmMetrics.RECORDS_FAILED)
                            .tags("kind", "MODEL_ERROR")
                            .counter()
                            .count());
            assertEquals(0.0, meters.get(AutoGlmMetrics.CALLS_ACTIVE).gauge().value());
        }
    }

    @Test
    void theUsageOfARunIsUnchangedByTheWrapper() {
        try (AutoGlmPipelines pipelines = registry(AutoGlmProperties.CircuitBreaker.DEFAULTS)) {
            PipelineResult r = run(pipelines.register("usage", SPEC), 3);
            assertEquals(2, r.usage().calls(), "batches of two: two calls");
            assertEquals(21, r.usage().promptTokens());
            assertEquals(6, r.usage().completionTokens());
            assertEquals(1.0, r.usage().cost(), 1e-9);
        }
    }

    @Test
    void aReplacedPipelineFinishesItsRunThenClosesAndTheNewOneServes() throws Exception {
        try (AutoGlmPipelines pipelines = registry(AutoGlmProperties.CircuitBreaker.DEFAULTS)) {
            ServedPipeline first = pipelines.register("p", SPEC);
            CountDownLatch gate = new CountDownLatch(1);
            ScriptedProvider.gate.set(gate);
            CompletableFuture<PipelineResult> running = CompletableFuture.supplyAsync(() -> run(first, 1));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ScriptedProvider.calls.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ServedPipeline second = pipelines.register("p", SPEC.replace("\"正面\", \"负面\"", "\"正面\", \"中性\""));
            assertEquals(ServedPipeline.State.READY, first.state(), "still running its call");
            assertEquals(0, ScriptedProvider.closed.get());
            ScriptedProvider.gate.set(null);
            gate.countDown();
            assertEquals(0, running.get().failed(), "the run begun before the replacement ends whole");
            assertEquals(ServedPipeline.State.CLOSED, first.state());
            assertEquals(1, ScriptedProvider.closed.get(), "the old model closed once");
            assertTrue(pipelines.get("p") == second);
            assertThrows(IllegalStateException.class, () -> run(first, 1));
        }
        assertEquals(2, ScriptedProvider.closed.get(), "closing the registry closes the rest");
    }

    @Test
    void namesSpecsAndModelsAreCheckedBeforeAnythingIsReplaced() {
        try (AutoGlmPipelines pipelines = registry(AutoGlmProperties.CircuitBreaker.DEFAULTS)) {
            ServedPipeline kept = pipelines.register("kept", SPEC);
            var badName = assertThrows(PipelineRegistrationException.class, () -> pipelines.register("../x", SPEC));
            assertTrue(badName.getMessage().contains("letters, digits"), badName.getMessage());

            var badSpec = assertThrows(
                    PipelineRegistrationException.class,
                    () -> pipelines.register("kept", SPEC.replace("\"labels\"", "\"labelz\"")));
            assertTrue(badSpec.getCause() instanceof PipelineSpecException, badSpec.toString());
            assertTrue(badSpec.getMessage().contains("$.task"), badSpec.getMessage());

            var noProvider = assertThrows(
                    PipelineRegistrationException.class,
                    () -> pipelines.register("kept", SPEC.replace("scripted:model", "nobody:model")));
            assertTrue(noProvider.getMessage().contains("No model provider"), noProvider.getMessage());

            var unresolved = assertThrows(
                    PipelineRegistrationException.class,
                    () -> pipelines.register(
                            "kept",
                            PipelineSpec.fromJson(
                                    SPEC.replace(
                                            "\"scripted:model\"",
                                            "\"fake:keyword\", \"options\": {\"apiKey\": \"${env:AUTOGLM_TEST_UNSET_VARIABLE}\"}"))));
            assertTrue(unresolved.getMessage().contains("AUTOGLM_TEST_UNSET_VARIABLE"), unresolved.getMessage());

            assertTrue(pipelines.get("kept") == kept, "none of these replaced it");
            var unknown = assertThrows(UnknownPipelineException.class, () -> pipelines.get("nope"));
            assertTrue(unknown.getMessage().contains("kept"), unknown.getMessage());
            assertTrue(pipelines.remove("kept"));
            assertFalse(pipelines.find("kept").isPresent());
            assertEquals(ServedPipeline.State.CLOSED, kept.state());
        }
    }

    @Test
    void warmUpPreparesTheModelInTheBackgroundAndSaysReady() throws Exception {
        try (AutoGlmPipelines pipelines =
                AutoGlmPipelines.builder().meterRegistry(meters).build()) {
            ServedPipeline p = pipelines.register("warm", SPEC);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (p.state() == ServedPipeline.State.LOADING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(ServedPipeline.State.READY, p.state());
            assertEquals("scripted", p.provider());
            assertEquals(0, ScriptedProvider.calls.get(), "only a local model is probed with a record");
        }
    }
}
