package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.ResultWriters;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.testing.KeywordModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing results never loses records: not to a streamed file's reader, not to text that is not valid UTF-16. */
class ResultFilesTest {
    @TempDir
    Path dir;

    private PipelineResult run(io.openautoglm.core.Dataset records) {
        try (TaskPipeline p = pipeline()) {
            return p.run(records);
        }
    }

    private TaskPipeline pipeline() {
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new KeywordModel("fake:keyword"))
                .labels("正面", "负面")
                .errorMode(ErrorMode.COLLECT)
                .build();
    }

    @Test
    void writingAStreamedRunIsRefusedBeforeTheFileIsOpened() throws Exception {
        Path in = TestFiles.write(dir, "in.csv", "text\n好\n差\n");
        Path out = dir.resolve("results.jsonl");
        PipelineResult result;
        try (TaskPipeline p = pipeline();
                ResultWriters.Writer w = ResultWriters.jsonl(out)) {
            result = p.run(DataLoader.fromCsv(in).load("text"), w);
        }
        assertEquals(2, Files.readAllLines(out).size());
        assertThrows(IllegalStateException.class, () -> result.writeJsonl(out));
        assertEquals(2, Files.readAllLines(out).size(), "the streamed results were erased");
    }

    @Test
    void aLoneSurrogateInATextDoesNotCutTheFile() throws Exception {
        Path in = TestFiles.write(
                dir, "in.jsonl", "{\"text\":\"好\"}\n{\"text\":\"cut emoji \\ud83d\"}\n{\"text\":\"差\"}\n");
        Path out = dir.resolve("results.jsonl");
        PipelineResult result = run(DataLoader.fromJsonl(in).load("text"));
        assertEquals(3, result.succeeded());
        result.writeJsonl(out); // before: failed at close, the file cut inside its second line
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).contains("cut emoji \uFFFD"), lines.get(1));
    }

    @Test
    void aSurrogateEntityIsNotDecoded() throws Exception {
        Path in = TestFiles.write(dir, "in.csv", "text\n好\nx&#55357;y\n差\n");
        Path out = dir.resolve("results.csv");
        run(DataLoader.fromCsv(in).load("text")).writeCsv(out);
        assertEquals(4, Files.readAllLines(out).size());
    }

    @Test
    void normalisingTwiceChangesNothing() {
        TextNormalizer n = TextNormalizer.defaults();
        String once = n.normalize("e\u200B\u0301 a&#55357;b");
        assertEquals(once, n.normalize(once));
        assertTrue(once.contains("&#55357;"), "a surrogate entity is left as written: " + once);
    }
}
