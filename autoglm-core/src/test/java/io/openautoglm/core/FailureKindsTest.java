package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures carry a kind set where they arise; results group by it, and the writers write it. */
class FailureKindsTest {

    /** Answers by the record's text: "rate", "slow" and "garbled" fail with their kinds, the rest succeed. */
    private static final Predictor BY_TEXT = (batch, usage) -> batch.stream()
            .map(r -> switch (r.text()) {
                case "rate" -> Outcome.failure(Failure.Kind.RATE_LIMITED, "rate limited (HTTP 429, code 1302)");
                case "slow" -> Outcome.failure(Failure.Kind.TIMEOUT, "timed out after 60 s");
                case "garbled" ->
                    Outcome.failure(Failure.Kind.UNPARSEABLE_ANSWER, "answer matches none of the labels", "maybe?");
                default -> Outcome.success(new Prediction.Classification("正面", 1, Map.of()));
            })
            .toList();

    private static TaskPipeline pipeline() {
        Model model = new Model() {
            @Override
            public String name() {
                return "by-text";
            }

            @Override
            public Predictor predictor(Task task) {
                return BY_TEXT;
            }

            @Override
            public void close() {}
        };
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(model)
                .labels("正面", "负面")
                .batchSize(2)
                .concurrency(1)
                .build();
    }

    private static List<TextRecord> input() {
        return List.of(
                TextRecord.of("ok"),
                TextRecord.of("rate"),
                TextRecord.of("garbled"),
                TextRecord.of("rate"),
                TextRecord.of(" "),
                TextRecord.of("slow"),
                TextRecord.of("ok"),
                TextRecord.of("rate"));
    }

    @Test
    void aFailureHasAKindAndAMessage() {
        Failure f = Failure.of(Failure.Kind.RATE_LIMITED, "slow down");
        assertEquals(Failure.Kind.RATE_LIMITED, f.kind());
        assertEquals("slow down", f.message());
        assertEquals("RATE_LIMITED: slow down", f.toString());
        assertThrows(NullPointerException.class, () -> Failure.of(null, "x"));
        assertThrows(NullPointerException.class, () -> Failure.of(Failure.Kind.TIMEOUT, null));
        Outcome o = Outcome.failure(Failure.Kind.TIMEOUT, "no answer", "partial");
        assertFalse(o.succeeded());
        assertEquals(Failure.of(Failure.Kind.TIMEOUT, "no answer"), o.failure());
        assertEquals("partial", o.raw());
    }

    @Test
    void resultsGroupByKindWithoutReadingMessages() {
        try (TaskPipeline p = pipeline()) {
            PipelineResult r = p.run(Dataset.of(input()));
            assertEquals(8, r.total());
            assertEquals(6, r.failed());
            Map<Failure.Kind, Long> grouped = r.failures().stream()
                    .collect(Collectors.groupingBy(f -> f.failure().kind(), Collectors.counting()));
            Map<Failure.Kind, Long> expected = Map.of(
                    Failure.Kind.RATE_LIMITED,
                    3L,
                    Failure.Kind.UNPARSEABLE_ANSWER,
                    1L,
                    Failure.Kind.INVALID_INPUT,
                    1L,
                    Failure.Kind.TIMEOUT,
                    1L);
            assertEquals(expected, grouped);
            assertEquals(expected, r.failuresByKind());
            assertEquals(
                    List.of(
                            Failure.Kind.INVALID_INPUT,
                            Failure.Kind.RATE_LIMITED,
                            Failure.Kind.TIMEOUT,
                            Failure.Kind.UNPARSEABLE_ANSWER),
                    List.copyOf(r.failuresByKind().keySet()),
                    "in declaration order");
            assertTrue(
                    r.summary().contains("6 failed (RATE_LIMITED 3, INVALID_INPUT 1, TIMEOUT 1, UNPARSEABLE_ANSWER 1)"),
                    r.summary());
            List<Long> toRetry = r.failures().stream()
                    .filter(f -> f.failure().kind() == Failure.Kind.RATE_LIMITED)
                    .map(RecordResult::index)
                    .toList();
            assertEquals(List.of(1L, 3L, 7L), toRetry);
            assertThrows(
                    UnsupportedOperationException.class,
                    () -> r.failuresByKind().put(Failure.Kind.CANCELLED, 1L));
        }
    }

    @Test
    void jsonlCarriesTheKindAndMessageOfAFailedRecord(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("results.jsonl");
        PipelineResult r;
        try (TaskPipeline p = pipeline();
                ResultWriters.Writer w = ResultWriters.jsonl(out)) {
            r = p.run(Dataset.of(input()), w);
        }
        assertEquals(3L, r.failuresByKind().get(Failure.Kind.RATE_LIMITED), "counted though streamed");
        ObjectMapper json = new ObjectMapper();
        Map<Long, JsonNode> byIndex = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                .map(line -> {
                    try {
                        return json.readTree(line);
                    } catch (Exception e) {
                        throw new AssertionError(line, e);
                    }
                })
                .collect(Collectors.toMap(n -> n.get("index").asLong(), Function.identity()));
        JsonNode ok = byIndex.get(0L);
        assertEquals("ok", ok.get("status").asText());
        assertFalse(ok.has("failure"), ok.toString());
        JsonNode rate = byIndex.get(1L);
        assertEquals("failed", rate.get("status").asText());
        assertEquals("RATE_LIMITED", rate.get("failure").get("kind").asText());
        assertEquals(
                "rate limited (HTTP 429, code 1302)",
                rate.get("failure").get("message").asText());
        JsonNode garbled = byIndex.get(2L);
        assertEquals("UNPARSEABLE_ANSWER", garbled.get("failure").get("kind").asText());
        assertEquals(
                "answer matches none of the labels",
                garbled.get("failure").get("message").asText());
        assertEquals("maybe?", garbled.get("raw").asText());
        assertEquals("INVALID_INPUT", byIndex.get(4L).get("failure").get("kind").asText());
        assertEquals("empty text", byIndex.get(4L).get("failure").get("message").asText());
    }

    @Test
    void csvHasTheKindBesideTheMessage(@TempDir Path dir) throws Exception {
        try (TaskPipeline p = pipeline()) {
            PipelineResult r = p.run(Dataset.of(List.of(TextRecord.of("ok"), TextRecord.of("slow"))));
            Path csv = dir.resolve("r.csv");
            r.writeCsv(csv);
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            assertEquals("index,id,status,text,text_b,gold,prediction,score,failure_kind,failure,source", lines.get(0));
            assertEquals("0,1,ok,ok,,,正面,1.0,,,", lines.get(1));
            assertEquals("1,2,failed,slow,,,,,TIMEOUT,timed out after 60 s,", lines.get(2));
        }
    }

    @Test
    void aDuplicateIdIsItsOwnKind() {
        List<TextRecord> input = List.of(
                TextRecord.builder().id("7").text("ok").build(),
                TextRecord.builder().id("7").text("ok").build());
        try (TaskPipeline p = pipeline()) {
            PipelineResult r = p.run(Dataset.of(input));
            Failure f = r.results().get(1).failure();
            assertEquals(Failure.Kind.DUPLICATE_ID, f.kind());
            assertTrue(f.message().startsWith("duplicate id '7'"), f.toString());
        }
    }
}
