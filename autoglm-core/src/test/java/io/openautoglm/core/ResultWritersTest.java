package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result files end on a whole line whenever they are read, and hold every record delivered once the sink was
 * flushed: a run killed at any point leaves whole lines, and loses at most the batch being delivered.
 */
class ResultWritersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Short texts and long ones (past the 64 KB a writer gathers), quotes, commas, line breaks, a lone surrogate. */
    private static RecordResult result(int i) {
        String text = switch (i % 5) {
            case 0 -> "好" + i;
            case 1 -> "长".repeat(1000 + 97 * i);
            case 2 -> "a \"quoted\", comma\nand a line break " + i;
            case 3 -> "cut emoji \ud83d " + i;
            default -> "x".repeat(i);
        };
        TextRecord record = TextRecord.of(text, "正面");
        return i % 7 == 3
                ? new RecordResult(
                        i, record, null, Failure.of(Failure.Kind.RATE_LIMITED, "rate limited, code 1302"), null)
                : new RecordResult(i, record, new Prediction.Classification("正面", 0.75, Map.of()), null, null);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aJsonLinesFileEndsOnAWholeLineAfterEveryRecordAndHoldsAllOfThemAfterFlush() throws Exception {
        Path out = dir.resolve("results.jsonl");
        try (ResultWriters.Writer w = ResultWriters.jsonl(out)) {
            for (int i = 0; i < 200; i++) {
                w.accept(result(i));
                String content = read(out);
                assertTrue(
                        content.isEmpty() || content.endsWith("\n"), "after record " + i + " the file ends mid-line");
                content.lines().forEach(line -> assertTrue(line.startsWith("{\"index\":"), line));
                if (i % 7 == 0) {
                    w.flush();
                    List<String> lines = read(out).lines().toList();
                    assertEquals(i + 1, lines.size(), "every record accepted is in the file after flush()");
                    assertEquals(i, JSON.readTree(lines.get(i)).get("index").asInt());
                }
            }
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(200, lines.size(), "close() writes out the rest");
        JsonNode third = JSON.readTree(lines.get(3));
        assertTrue(third.get("text").asText().startsWith("cut emoji \uFFFD"), lines.get(3));
        assertEquals("RATE_LIMITED", third.get("failure").get("kind").asText());
    }

    @Test
    void aCsvFileEndsOnAWholeRowAfterTheHeaderAndEveryRecord() throws Exception {
        Path out = dir.resolve("results.csv");
        String header = "index,id,status,text,text_b,gold,prediction,score,failure_kind,failure,source\r\n";
        try (ResultWriters.Writer w = ResultWriters.csv(out)) {
            assertEquals(header, read(out), "the header is written at once");
            for (int i = 0; i < 200; i++) {
                w.accept(result(i));
                assertTrue(read(out).endsWith("\r\n"), "after record " + i + " the file ends mid-row");
                if (i % 7 == 0) {
                    w.flush();
                    String content = read(out);
                    // a row starts "index,id," after a CRLF (a line break inside a quoted text is a bare LF here)
                    assertTrue(
                            content.contains("\r\n" + i + "," + (i + 1) + ","),
                            "row " + i + " is in the file after flush()");
                    assertTrue(content.endsWith(",\r\n"), "the file ends with a row's last (empty) column");
                }
            }
        }
        String content = read(out);
        assertTrue(content.startsWith(header));
        assertTrue(content.contains("\"a \"\"quoted\"\", comma\nand a line break 2\""), "quoted as RFC 4180");
        assertTrue(
                content.contains("3,4,failed,cut emoji \uFFFD 3,,正面,,,RATE_LIMITED,\"rate limited, code 1302\",\r\n"),
                "the failure's kind and message");
        assertTrue(
                content.endsWith("\r\n199,200,failed," + "x".repeat(199)
                        + ",,正面,,,RATE_LIMITED,\"rate limited, code 1302\",\r\n"),
                "close() writes out the rest");
    }

    @Test
    void aPipelineFlushesItsWriterAfterEveryBatch() throws Exception {
        Path out = dir.resolve("streamed.jsonl");
        List<Integer> linesAtEachCall = new ArrayList<>();
        Predictor checking = (batch, usage) -> {
            // one model call at a time (concurrency 1): every earlier batch has been delivered and flushed
            String content = read(out);
            assertTrue(content.isEmpty() || content.endsWith("\n"));
            linesAtEachCall.add((int) content.lines().count());
            return batch.stream()
                    .map(r -> Outcome.success(new Prediction.Classification("正面", 1, Map.of())))
                    .toList();
        };
        Model model = new Model() {
            @Override
            public String name() {
                return "checking";
            }

            @Override
            public Predictor predictor(Task task) {
                return checking;
            }

            @Override
            public void close() {}
        };
        List<TextRecord> input = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            input.add(TextRecord.of("好" + i, "正面"));
        }
        try (TaskPipeline p = TaskPipeline.builder()
                        .taskType(TaskType.TEXT_CLASSIFICATION)
                        .model(model)
                        .labels("正面", "负面")
                        .batchSize(4)
                        .concurrency(1)
                        .build();
                ResultWriters.Writer w = ResultWriters.jsonl(out)) {
            p.run(Dataset.of(input), w);
            assertEquals(40, read(out).lines().count(), "the last batch too, before close()");
            w.close();
            assertThrows(IllegalStateException.class, () -> w.accept(result(0)));
        }
        assertEquals(List.of(0, 4, 8, 12, 16, 20, 24, 28, 32, 36), linesAtEachCall);
    }
}
