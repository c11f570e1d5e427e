package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.Failure;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.ResultWriters;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.testing.KeywordModel;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind, through the loader and the pipeline together: every record read comes out as a
 * result or a failure with its reason and its place; fail-fast stops at file:line.
 */
class PipelineEndToEndTest {
    private static final Columns COLUMNS =
            Columns.builder().id("id").text("text").label("label").build();

    @TempDir
    Path dir;

    private final KeywordModel model = new KeywordModel("fake:keyword");

    private TaskPipeline pipeline(ErrorMode mode) {
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(model)
                .labels("正面", "负面")
                .batchSize(2)
                .concurrency(2)
                .errorMode(mode)
                .build();
    }

    /** Ten records, three good; the last bad one swallows line 13, and says so. */
    private Path mixedCsv() {
        byte[] gbkRow = "3,酒店不错,正面\n".getBytes(Charset.forName("GBK"));
        return TestFiles.write(
                dir,
                "mixed.csv",
                TestFiles.concat(
                        TestFiles.utf8(
                                "id,text,label\n" // 1
                                        + "1,房间很干净,正面\n" // 2 ok
                                        + "2,服务差,负面\n"), // 3 ok
                        gbkRow, // 4 wrong charset
                        TestFiles.utf8(
                                "4,only two\n" // 5 too few fields
                                        + "5,,正面\n" // 6 empty text (pipeline)
                                        + "6,还行吧,中性\n" // 7 label outside the set (pipeline)
                                        + "2,又是二号,正面\n" // 8 duplicate id (pipeline)
                                        + "7,\"多行\n文本很差\",负面\n" // 9-10 ok
                                        + "8,标签空,\n" // 11 empty label
                                        + "9,\"never closed,正面\n" // 12 unbalanced quote
                                        + "10,不会被单独读到,正面\n"))); // 13 part of the unparsed rest
    }

    private static final Map<String, String> EXPECTED_FAILURES = expectedFailures();

    private static Map<String, String> expectedFailures() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mixed.csv:4", "not valid UTF-8");
        m.put("mixed.csv:5", "too few fields");
        m.put("mixed.csv:6", "empty text");
        m.put("mixed.csv:7", "gold label '中性' is not one of the labels");
        m.put("mixed.csv:8", "duplicate id '2'");
        m.put("mixed.csv:11", "empty label");
        m.put("mixed.csv:12", "the rest of the file from line 12 could not be parsed");
        return m;
    }

    @Test
    void collectModeAccountsForEveryRecord() {
        Dataset data =
                DataLoader.fromCsv(mixedCsv()).onBadRecord(ErrorMode.COLLECT).load(COLUMNS);
        long inputCount = data.toList().size();
        PipelineResult result;
        try (TaskPipeline p = pipeline(ErrorMode.COLLECT)) {
            result = p.run(data);
        }
        assertEquals(10, inputCount);
        assertEquals(inputCount, result.total());
        assertEquals(inputCount, result.results().size());
        assertEquals(3, result.succeeded());
        assertEquals(7, result.failed());
        assertEquals(3, model.seen(), "only good records reach the model");
        assertEquals(
                List.of("1", "2", "7"),
                result.results().stream()
                        .filter(RecordResult::succeeded)
                        .map(RecordResult::id)
                        .toList());

        Map<String, String> reasons = new LinkedHashMap<>();
        for (RecordResult r : result.failures()) {
            reasons.put(r.record().source(), r.failure().message());
        }
        assertEquals(
                Map.of(Failure.Kind.INVALID_INPUT, 6L, Failure.Kind.DUPLICATE_ID, 1L),
                result.failuresByKind(),
                "unreadable rows and records the task refuses are invalid input; the duplicate id is its own kind");
        assertEquals(EXPECTED_FAILURES.keySet(), reasons.keySet(), reasons.toString());
        EXPECTED_FAILURES.forEach((where, reason) ->
                assertTrue(reasons.get(where).contains(reason), where + " -> " + reasons.get(where)));
        assertEquals(3, result.metrics().orElseThrow().evaluated());
    }

    @Test
    void streamedResultsKeepTheSameCountsAndReasons() throws IOException {
        Dataset data =
                DataLoader.fromCsv(mixedCsv()).onBadRecord(ErrorMode.COLLECT).load(COLUMNS);
        Path out = dir.resolve("results.jsonl");
        PipelineResult result;
        try (TaskPipeline p = pipeline(ErrorMode.COLLECT);
                ResultWriters.Writer w = ResultWriters.jsonl(out)) {
            result = p.run(data, w);
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(10, lines.size());
        assertEquals(10, result.total());
        assertEquals(
                7,
                lines.stream().filter(l -> l.contains("\"status\":\"failed\"")).count());
        assertTrue(lines.stream().anyMatch(l -> l.contains("unbalanced quote") && l.contains("mixed.csv:12")));
        assertEquals(
                1,
                lines.stream()
                        .filter(l -> l.contains("\"failure\":{\"kind\":\"DUPLICATE_ID\""))
                        .count());
    }

    @Test
    void failFastLoaderStopsThePipelineAtFileAndLine() {
        Dataset data = DataLoader.fromCsv(mixedCsv()).load(COLUMNS);
        try (TaskPipeline p = pipeline(ErrorMode.COLLECT)) {
            DataException e = assertThrows(DataException.class, () -> p.run(data));
            assertTrue(e.getMessage().startsWith("mixed.csv:4: "), e.getMessage());
            assertTrue(e.getMessage().contains(".charset("), e.getMessage());
        }
    }

    @Test
    void failFastPipelineStopsAtTheFirstBadRecordWithItsPlace() {
        Dataset data =
                DataLoader.fromCsv(mixedCsv()).onBadRecord(ErrorMode.COLLECT).load(COLUMNS);
        try (TaskPipeline p = pipeline(ErrorMode.FAIL_FAST)) {
            DataException e = assertThrows(DataException.class, () -> p.run(data));
            assertTrue(e.getMessage().startsWith("mixed.csv:4: "), e.getMessage());
        }
    }

    @Test
    void labelOutsideTheSetAndDuplicateIdsFailFastWithFileAndLine() {
        Path labels = TestFiles.write(dir, "labels.csv", "id,text,label\n1,好,正面\n2,\"跨\n行\",负面\n3,还行,中性\n");
        try (TaskPipeline p = pipeline(ErrorMode.FAIL_FAST)) {
            DataException e = assertThrows(
                    DataException.class, () -> p.run(DataLoader.fromCsv(labels).load(COLUMNS)));
            assertTrue(
                    e.getMessage().startsWith("labels.csv:5: gold label '中性' is not one of the labels"),
                    e.getMessage());
        }
        Path ids = TestFiles.write(
                dir,
                "ids.jsonl",
                "{\"id\":1,\"text\":\"好\",\"label\":\"正面\"}\n"
                        + "{\"id\":2,\"text\":\"差\",\"label\":\"负面\"}\n\n{\"id\":1,\"text\":\"又好\",\"label\":\"正面\"}\n");
        try (TaskPipeline p = pipeline(ErrorMode.FAIL_FAST)) {
            DataException e = assertThrows(
                    DataException.class, () -> p.run(DataLoader.fromJsonl(ids).load(COLUMNS)));
            assertTrue(e.getMessage().startsWith("ids.jsonl:4: duplicate id '1'"), e.getMessage());
        }
    }

    @Test
    void jsonlBadLinesAreAccountedForToo() {
        Path f = TestFiles.write(
                dir,
                "mixed.jsonl",
                "{\"id\":1,\"text\":\"好\",\"label\":\"正面\"}\n"
                        + "not json\n"
                        + "{\"id\":3,\"label\":\"正面\"}\n"
                        + "{\"id\":4,\"text\":[\"x\"],\"label\":\"正面\"}\n"
                        + "{\"id\":5,\"text\":\"   \",\"label\":\"负面\"}\n"
                        + "{\"id\":6,\"text\":\"差\",\"label\":\"负面\"}\n");
        Dataset data = DataLoader.fromJsonl(f).onBadRecord(ErrorMode.COLLECT).load(COLUMNS);
        PipelineResult result;
        try (TaskPipeline p = pipeline(ErrorMode.COLLECT)) {
            result = p.run(data);
        }
        assertEquals(6, result.total());
        assertEquals(2, result.succeeded());
        assertEquals(
                List.of("mixed.jsonl:2", "mixed.jsonl:3", "mixed.jsonl:4", "mixed.jsonl:5"),
                result.failures().stream().map(r -> r.record().source()).toList());
        assertEquals(
                List.of("3", "4", "5"),
                result.failures().stream().skip(1).map(RecordResult::id).toList());
    }
}
