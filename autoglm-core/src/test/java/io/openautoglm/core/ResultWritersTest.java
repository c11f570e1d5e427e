package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result files end on a whole line after every record, so a run killed at any point leaves whole lines. */
class ResultWritersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Short and long texts (longer than any write buffer), quotes, commas, line breaks, a lone surrogate. */
    private static RecordResult result(int i) {
        String text = switch (i % 5) {
            case 0 -> "好" + i;
            case 1 -> "长".repeat(1000 + 37 * i);
            case 2 -> "a \"quoted\", comma\nand a line break " + i;
            case 3 -> "cut emoji \ud83d " + i;
            default -> "x".repeat(i);
        };
        TextRecord record = TextRecord.of(text, "正面");
        return i % 7 == 3
                ? new RecordResult(i, record, null, Failure.of(Failure.Kind.RATE_LIMITED, "rate limited, code 1302"), null)
                : new RecordResult(i, record, new Prediction.Classification("正面", 0.75, Map.of()), null, null);
    }

    @Test
    void aJsonLinesFileEndsOnAWholeLineAfterEveryRecord() throws Exception {
        Path out = dir.resolve("results.jsonl");
        try (ResultWriters.Writer w = ResultWriters.jsonl(out)) {
            assertEquals(0, Files.size(out));
            for (int i = 0; i < 200; i++) {
                w.accept(result(i));
                String content = Files.readString(out, StandardCharsets.UTF_8);
                assertTrue(content.endsWith("\n"), "after record " + i + " the file ends mid-line");
                List<String> lines = content.lines().toList();
                assertEquals(i + 1, lines.size(), "every accepted record is in the file at once");
                JsonNode last = JSON.readTree(lines.get(i));
                assertEquals(i, last.get("index").asInt());
            }
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(200, lines.size());
        assertTrue(JSON.readTree(lines.get(3)).get("text").asText().startsWith("cut emoji \uFFFD"), lines.get(3));
        assertEquals("RATE_LIMITED", JSON.readTree(lines.get(3)).get("failure").get("kind").asText());
    }

    @Test
    void aCsvFileEndsOnAWholeRowAfterTheHeaderAndEveryRecord() throws Exception {
        Path out = dir.resolve("results.csv");
        try (ResultWriters.Writer w = ResultWriters.csv(out)) {
            assertEquals("index,id,status,text,text_b,gold,prediction,score,failure_kind,failure,source\r\n",
                    Files.readString(out, StandardCharsets.UTF_8));
            long size = Files.size(out);
            for (int i = 0; i < 200; i++) {
                w.accept(result(i));
                String content = Files.readString(out, StandardCharsets.UTF_8);
                assertTrue(content.endsWith("\r\n"), "after record " + i + " the file ends mid-row");
                assertTrue(content.endsWith(",\r\n"), "the row ends with its last (empty) column: " + i);
                assertTrue(Files.size(out) > size, "record " + i + " is in the file at once");
                size = Files.size(out);
            }
        }
        String content = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(content.contains("\"a \"\"quoted\"\", comma\nand a line break 2\""), "quoted as RFC 4180");
        assertTrue(content.contains("3,4,failed,cut emoji \uFFFD 3,,正面,,,RATE_LIMITED,\"rate limited, code 1302\",\r\n"),
                "the failure's kind and message");
    }
}
