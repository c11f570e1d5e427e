package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.core.testing.KeywordModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskPipelineTest {

    private static TaskPipeline.Builder sentiment() {
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("fake:keyword")
                .labels("正面", "负面");
    }

    @Test
    void everyRecordEndsAsAResultOrAFailureInInputOrder() {
        List<TextRecord> input = new ArrayList<>();
        input.add(TextRecord.of("服务好", "正面"));
        input.add(TextRecord.invalid(null, "feedback.csv:3", "row has 1 field, expected 2"));
        input.add(TextRecord.of("   ", "负面"));
        input.add(TextRecord.of("太差了", "好评"));
        input.add(TextRecord.builder().id("a").text("房间好").label("正面").build());
        input.add(TextRecord.builder().id("a").text("又是a").label("负面").build());
        input.add(TextRecord.of("boom", "负面"));
        input.add(TextRecord.of("很吵", "负面"));
        try (TaskPipeline p = sentiment().batchSize(2).build()) {
            PipelineResult r = p.run(Dataset.of("mixed", input));
            assertEquals(input.size(), r.total());
            assertEquals(input.size(), r.results().size());
            assertEquals(3, r.succeeded());
            assertEquals(5, r.failed());
            for (int i = 0; i < input.size(); i++) {
                assertEquals(i, r.results().get(i).index());
            }
            List<String> reasons =
                    r.failures().stream().map(f -> f.failure().message()).toList();
            List<Failure.Kind> kinds =
                    r.failures().stream().map(f -> f.failure().kind()).toList();
            assertEquals(
                    List.of(
                            Failure.Kind.INVALID_INPUT,
                            Failure.Kind.INVALID_INPUT,
                            Failure.Kind.INVALID_INPUT,
                            Failure.Kind.DUPLICATE_ID,
                            Failure.Kind.MODEL_REFUSED),
                    kinds);
            assertEquals(
                    Map.of(
                            Failure.Kind.INVALID_INPUT,
                            3L,
                            Failure.Kind.DUPLICATE_ID,
                            1L,
                            Failure.Kind.MODEL_REFUSED,
                            1L),
                    r.failuresByKind());
            assertTrue(
                    r.summary().contains("5 failed (INVALID_INPUT 3, DUPLICATE_ID 1, MODEL_REFUSED 1)"), r.summary());
            assertEquals("row has 1 field, expected 2", reasons.get(0));
            assertEquals("empty text", reasons.get(1));
            assertTrue(reasons.get(2).contains("'好评'"), reasons.get(2));
            assertTrue(reasons.get(3).startsWith("duplicate id 'a'"), reasons.get(3));
            assertEquals("model refused", reasons.get(4));
            assertEquals("raw refusal", r.failures().get(4).raw());
            Metrics.ClassificationMetrics m =
                    (Metrics.ClassificationMetrics) r.metrics().orElseThrow();
            assertEquals(3, m.evaluated());
            assertEquals(1.0, m.accuracy(), 1e-12);
        }
    }

    @Test
    void failFastStopsAtTheFirstBadRecordAndSaysWhere() {
        List<TextRecord> input = List.of(
                TextRecord.of("好", "正面"),
                TextRecord.builder().text("").source("reviews.csv:7").build());
        try (TaskPipeline p = sentiment().errorMode(ErrorMode.FAIL_FAST).build()) {
            DataException e = assertThrows(DataException.class, () -> p.run(Dataset.of(input)));
            assertEquals("reviews.csv:7: empty text", e.getMessage());
        }
    }

    @Test
    void concurrentBatchesStillComeBackInInputOrder() {
        Random random = new Random(7);
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        Predictor slow = (batch, usage) -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(random.nextInt(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return batch.stream()
                    .map(r -> Outcome.success(new Prediction.Classification(r.text(), 1, Map.of())))
                    .toList();
        };
        List<TextRecord> input = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            input.add(TextRecord.of("t" + i));
            labels.add("t" + i);
        }
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(slow))
                .labels(labels.toArray(String[]::new))
                .batchSize(3)
                .concurrency(4)
                .build()) {
            PipelineResult r = p.run(Dataset.of(input));
            for (int i = 0; i < 500; i++) {
                assertEquals(
                        "t" + i, ((Prediction.Classification) r.results().get(i).prediction()).label());
            }
        }
        assertTrue(maxInFlight.get() > 1, "batches should overlap, max in flight " + maxInFlight.get());
        assertTrue(maxInFlight.get() <= 8, "at most 2 x concurrency batches in flight, saw " + maxInFlight.get());
    }

    @Test
    void aBatchThatThrowsFailsItsRecordsWithTheReasonAndTheRunGoesOn() {
        Predictor flaky = (batch, usage) -> {
            if (batch.get(0).text().equals("x1")) {
                throw new IllegalStateException("connection reset");
            }
            return batch.stream()
                    .map(r -> Outcome.success(new Prediction.Classification("a", 1, null)))
                    .toList();
        };
        List<TextRecord> input = List.of(TextRecord.of("x0"), TextRecord.of("x1"), TextRecord.of("x2"));
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(flaky))
                .labels("a", "b")
                .batchSize(1)
                .build()) {
            PipelineResult r = p.run(Dataset.of(input));
            assertEquals(2, r.succeeded());
            assertEquals(
                    Failure.of(Failure.Kind.MODEL_ERROR, "model call failed: connection reset"),
                    r.results().get(1).failure());
        }
    }

    @Test
    void streamingToASinkKeepsNothingButCountsEverything(@TempDir Path dir) throws Exception {
        List<TextRecord> input = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            input.add(TextRecord.of(i % 10 == 0 ? "" : "好" + i, "正面"));
        }
        Path out = dir.resolve("out.jsonl");
        AtomicLong progressCalls = new AtomicLong();
        PipelineResult r;
        try (TaskPipeline p = sentiment()
                        .progressListener(pr -> progressCalls.incrementAndGet())
                        .build();
                ResultWriters.Writer w = ResultWriters.jsonl(out)) {
            r = p.run(Dataset.of(input), w);
        }
        assertFalse(r.retainsResults());
        assertTrue(r.results().isEmpty());
        assertEquals(100, r.total());
        assertEquals(10, r.failed());
        assertTrue(progressCalls.get() > 0);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(100, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("failed", first.get("status").asText());
        assertEquals("INVALID_INPUT", first.get("failure").get("kind").asText());
        assertEquals("empty text", first.get("failure").get("message").asText());
        assertEquals(Map.of(Failure.Kind.INVALID_INPUT, 10L), r.failuresByKind(), "counted though not retained");
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertEquals("正面", second.get("label").asText());
        assertThrows(IllegalStateException.class, () -> r.writeJsonl(dir.resolve("again.jsonl")));
    }

    @Test
    void resultsWriteToCsvWithQuoting(@TempDir Path dir) throws Exception {
        try (TaskPipeline p = sentiment().build()) {
            PipelineResult r = p.run(Dataset.of(List.of(TextRecord.of("好,\"很\"好", "正面"), TextRecord.of("差"))));
            Path csv = dir.resolve("r.csv");
            r.writeCsv(csv);
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            assertEquals("index,id,status,text,text_b,gold,prediction,score,failure_kind,failure,source", lines.get(0));
            assertEquals("0,1,ok,\"好,\"\"很\"\"好\",,正面,正面,0.9,,,", lines.get(1));
            assertEquals("1,2,ok,差,,,负面,0.9,,,", lines.get(2));
        }
    }

    @Test
    void usageIsAccountedAndSummaryReportsIt() {
        try (TaskPipeline p = sentiment().batchSize(4).build()) {
            List<TextRecord> input = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                input.add(TextRecord.of("好" + i, "正面"));
            }
            PipelineResult r = p.run(Dataset.of("ten", input));
            assertEquals(3, r.usage().calls());
            assertEquals(100, r.usage().promptTokens());
            assertEquals(0.003, r.usage().cost(), 1e-9);
            assertTrue(r.summary().contains("10 records, 10 succeeded, 0 failed\n"), r.summary());
            assertTrue(r.failuresByKind().isEmpty());
        }
    }

    @Test
    void cancellingAccountsForTheRecordsNotRun() throws Exception {
        CountDownLatch firstBatch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Predictor blocking = (batch, usage) -> {
            firstBatch.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return batch.stream()
                    .map(r -> Outcome.success(new Prediction.Classification("a", 1, null)))
                    .toList();
        };
        List<TextRecord> input = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            input.add(TextRecord.of("t" + i));
        }
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(blocking))
                .labels("a", "b")
                .batchSize(1)
                .concurrency(1)
                .build()) {
            PipelineRun run = p.start(Dataset.of(input), null);
            assertTrue(firstBatch.await(5, TimeUnit.SECONDS));
            run.cancel();
            release.countDown();
            PipelineResult r = run.join();
            assertTrue(r.cancelled());
            assertEquals(50, r.total());
            assertTrue(r.failed() > 40, "most records should be cancelled, failed=" + r.failed());
            assertEquals(
                    Failure.of(Failure.Kind.CANCELLED, "cancelled"),
                    r.results().get(49).failure());
            assertEquals(r.failed(), r.failuresByKind().get(Failure.Kind.CANCELLED));
        }
    }

    @Test
    void nerAndMatchingRunThroughThePipeline() {
        try (TaskPipeline ner = TaskPipeline.builder()
                .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                .model("fake:tagger")
                .entityTypes("address")
                .build()) {
            TextRecord gold = TextRecord.builder()
                    .text("我在北京")
                    .entities(List.of(new Entity(2, 4, "address", "北京")))
                    .build();
            PipelineResult r = ner.run(Dataset.of(List.of(gold)));
            assertEquals(
                    1.0,
                    ((Metrics.EntityMetrics) r.metrics().orElseThrow()).micro().f1(),
                    1e-12);
        }
        try (TaskPipeline match = TaskPipeline.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .model("fake:m")
                .build()) {
            PipelineResult r =
                    match.run(Dataset.of(List.of(TextRecord.pair("a", "a", "1"), TextRecord.pair("a", "b", "1"))));
            assertEquals(0.5, ((Metrics.MatchingMetrics) r.metrics().orElseThrow()).accuracy(), 1e-12);
        }
    }

    @Test
    void predictorsSeeEveryRecordWithAnIdTheSourcesOwnOrItsPosition() {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Predictor recording = (batch, usage) -> {
            batch.forEach(r -> seen.add(r.id()));
            return batch.stream()
                    .map(r -> Outcome.success(new Prediction.Classification("a", 1, null)))
                    .toList();
        };
        List<TextRecord> input = List.of(
                TextRecord.of("x"), TextRecord.builder().id("own").text("y").build(), TextRecord.of("z"));
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(recording))
                .labels("a", "b")
                .build()) {
            PipelineResult r = p.run(Dataset.of(input));
            assertEquals(List.of("1", "own", "3"), seen);
            assertEquals(
                    List.of("1", "own", "3"),
                    r.results().stream().map(RecordResult::id).toList());
        }
    }

    @Test
    void aPipelineClosesTheModelItOpenedButNotOneItWasGiven() {
        KeywordModel given = new KeywordModel("fake:given");
        try (TaskPipeline p = sentiment().model(given).build()) {
            p.run(Dataset.of(List.of(TextRecord.of("好"))));
        }
        assertEquals(0, given.closed());
    }

    @Test
    void unknownModelsFailAtBuildNamingTheProvidersAndTheModuleToAdd() {
        AutoGlmException e = assertThrows(
                AutoGlmException.class, () -> sentiment().model("glm-4-flash").build());
        assertTrue(e.getMessage().contains("'glm-4-flash'"), e.getMessage());
        assertTrue(e.getMessage().contains("fake from"), e.getMessage());
        assertTrue(e.getMessage().contains("autoglm-glm-client"), e.getMessage());
    }

    @Test
    void builderValidationNamesTheField() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TaskPipeline.builder()
                        .taskType(TaskType.TEXT_CLASSIFICATION)
                        .labels("only")
                        .model("fake:x")
                        .build());
        assertTrue(e.getMessage().startsWith("labels:"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> TaskPipeline.builder().batchSize(0));
        assertThrows(
                IllegalArgumentException.class, () -> TaskPipeline.builder().build());
    }
}
