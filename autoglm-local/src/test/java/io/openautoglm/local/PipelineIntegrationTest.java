package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineIntegrationTest {

    @Test
    void pipelineRunsTheDefaultModelWithUsageAndTruncation() {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(TextRecord.of(
                    i % 2 == 0 ? "房间干净，服务热情，非常满意" + i : "房间很脏，服务态度恶劣，非常失望" + i, i % 2 == 0 ? "正面" : "负面"));
        }
        records.add(TextRecord.of("好".repeat(600), "正面"));
        try (TaskPipeline pipeline = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("local:bge-small-zh")
                .labels("正面", "负面")
                .concurrency(2)
                .batchSize(8)
                .build()) {
            PipelineResult result = pipeline.run(Dataset.of("reviews", records));
            assertEquals(21, result.succeeded());
            assertEquals(1, result.truncated());
            assertTrue(result.usage().calls() >= 3, result.usage().toString());
            assertTrue(result.usage().promptTokens() > 256, result.usage().toString());
            Metrics.ClassificationMetrics m =
                    (Metrics.ClassificationMetrics) result.metrics().orElseThrow();
            assertTrue(m.accuracy() >= 0.9, m.report());
        }
    }

    @Test
    void zeroShotOnSharedChnSentiCorpSample() throws IOException {
        Path test = Path.of(System.getProperty("shared.dir", "../../shared"), "datasets/nlp/chnsenticorp_htl/test.csv");
        assumeTrue(
                Files.isRegularFile(test),
                () -> "shared dataset not present: " + test.toAbsolutePath().normalize()
                        + " (put the shared folder beside the repository, or pass -Dshared.dir=<folder>)");
        List<TextRecord> records = new ArrayList<>();
        List<String> lines = Files.readAllLines(test, StandardCharsets.UTF_8);
        // the first 48 unquoted rows: plain "text,label" lines without quoting are enough for a smoke test
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.lastIndexOf(',');
            if (!line.contains("\"") && comma > 0 && records.size() < 48) {
                records.add(TextRecord.of(line.substring(0, comma), line.substring(comma + 1)));
            }
        }
        try (TaskPipeline pipeline = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("local:bge-small-zh")
                .modelOption("maxTokens", "128")
                .labels("正面", "负面")
                .build()) {
            Metrics.ClassificationMetrics m = (Metrics.ClassificationMetrics)
                    pipeline.run(Dataset.of("chnsenticorp", records)).metrics().orElseThrow();
            assertTrue(m.accuracy() >= 0.7, m.report());
        }
    }
}
