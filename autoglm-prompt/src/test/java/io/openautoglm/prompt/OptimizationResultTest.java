package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.TaskPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizationResultTest {
    @TempDir
    Path dir;

    static OptimizationResult sample() {
        return CompositeOptimizer.of(
                LabelWordingSearch.builder().model(new FakeModel()).seed(2).build(),
                DemonstrationSelection.builder().model(new FakeModel()).perClass(2).trials(3).seed(2).build())
                .optimize(LabelWordingSearchTest.PLAIN, LabelWordingSearchTest.TRAIN, LabelWordingSearchTest.DEV,
                        Budget.ofCandidates(20));
    }

    @Test
    void savesAndLoadsTheWholeResult() throws Exception {
        OptimizationResult r = sample();
        Path file = dir.resolve("result.json");
        r.save(file);
        OptimizationResult back = OptimizationResult.load(file);
        assertEquals(r.trajectory(), back.trajectory().stream().map(c -> new Candidate(c.index(), c.optimizer(),
                c.note(), c.spec(), c.score(), r.trajectory().get(c.index()).usage())).toList());
        assertEquals(r.bestSpec(), back.bestSpec());
        assertEquals(r.bestScore(), back.bestScore());
        assertEquals(r.stopReason(), back.stopReason());
        assertEquals(r.seed(), back.seed());
        assertEquals(r.usage().calls(), back.usage().calls());
        assertEquals(r.toJson(), back.toJson());
    }

    @Test
    void appliesToAPipelineAndScoresTheSameAsOnDev() {
        OptimizationResult r = sample();
        FakeModel model = new FakeModel();
        try (TaskPipeline p = r.applyTo(TaskPipeline.builder().model(model)).build()) {
            double dev = Objective.ACCURACY.of(p.run(LabelWordingSearchTest.DEV).metrics().orElseThrow());
            assertEquals(r.bestScore(), dev, 1e-12);
        }
    }

    @Test
    void writesAReportAndAChart() throws Exception {
        OptimizationResult r = sample();
        Path report = dir.resolve("out/report.json");
        r.writeReport(report);
        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertEquals(r.bestScore(), json.get("bestScore").asDouble());
        assertEquals(r.trajectory().size(), json.get("trajectory").size());
        assertTrue(json.get("finalPrompt").asText().contains("full prompt"));
        assertThrows(IllegalArgumentException.class, () -> OptimizationResult.load(report),
                "a report is not a saved result");

        Path chart = dir.resolve("out/trajectory.png");
        r.writeChart(chart);
        byte[] head = Arrays.copyOf(Files.readAllBytes(chart), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
        assertTrue(Files.size(chart) > 2000);
    }

    @Test
    void showsTheFinalPromptInFull() {
        OptimizationResult r = sample();
        String text = r.finalPrompt();
        assertTrue(text.contains("positive -> " + r.bestSpec().labels().get(0).description()), text);
        assertTrue(r.summary().contains("stopped: "), r.summary());
        assertTrue(r.improvement() >= 0);
    }

    @Test
    void rejectsUnknownFormats() {
        assertThrows(IllegalArgumentException.class, () -> OptimizationResult.fromJson("{\"format\": 99}"));
        assertThrows(IllegalArgumentException.class, () -> OptimizationResult.fromJson("not json"));
    }
}
