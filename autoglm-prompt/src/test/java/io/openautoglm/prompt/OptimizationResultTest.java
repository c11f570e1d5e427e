package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizationResultTest {
    @TempDir
    Path dir;

    static OptimizationResult sample() {
        return CompositeOptimizer.of(
                        LabelWordingSearch.builder()
                                .model(new FakeModel())
                                .seed(2)
                                .build(),
                        DemonstrationSelection.builder()
                                .model(new FakeModel())
                                .perClass(2)
                                .trials(3)
                                .seed(2)
                                .build())
                .optimize(
                        LabelWordingSearchTest.PLAIN,
                        LabelWordingSearchTest.TRAIN,
                        LabelWordingSearchTest.DEV,
                        SearchBudget.ofCandidates(20));
    }

    @Test
    void savesAndLoadsTheWholeResult() throws Exception {
        OptimizationResult r = sample();
        Path file = dir.resolve("result.json");
        r.saveResult(file);
        OptimizationResult back = OptimizationResult.loadResult(file);
        assertEquals(
                r.trajectory(),
                back.trajectory().stream()
                        .map(c -> new Candidate(
                                c.index(),
                                c.optimizer(),
                                c.note(),
                                c.spec(),
                                c.score(),
                                r.trajectory().get(c.index()).usage()))
                        .toList());
        assertEquals(r.bestSpec(), back.bestSpec());
        assertEquals(r.bestScore(), back.bestScore());
        assertEquals(r.stopReason(), back.stopReason());
        assertEquals(r.seed(), back.seed());
        assertEquals(r.usage().calls(), back.usage().calls());
        assertEquals(r.toJson(), back.toJson());
        assertEquals(r.base(), back.base());
        assertEquals("fake", back.base().model().name(), "a bare start's base names the scoring model");
        assertEquals(r.bestPipelineSpec(), back.bestPipelineSpec());
    }

    @Test
    void keepsTheBasePipelineSpecAndItsFolder() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        PipelineSpec base = PipelineSpec.builder()
                .task(LabelWordingSearchTest.PLAIN.task())
                .model("fake")
                .source(PipelineSpec.Source.csv("data/reviews.csv", "text", null))
                .sink(PipelineSpec.Sink.jsonl("out/predictions.jsonl"))
                .run(new PipelineSpec.RunSettings(8, 1, null, null))
                .baseDir(project)
                .build();
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .seed(2)
                .build()
                .optimize(base, LabelWordingSearchTest.TRAIN, LabelWordingSearchTest.DEV, SearchBudget.ofCandidates(6));
        assertEquals(base, r.base());
        assertEquals(base.withTask(r.bestSpec().task()), r.bestPipelineSpec());
        Path file = dir.resolve("elsewhere/result.json");
        r.saveResult(file);
        OptimizationResult back = OptimizationResult.loadResult(file);
        assertEquals(
                project.resolve("data/reviews.csv"),
                back.base().resolve(back.base().source().path()));
        assertEquals(r.bestPipelineSpec(), back.bestPipelineSpec());
    }

    @Test
    void appliesToAPipelineAndScoresTheSameAsOnDev() {
        OptimizationResult r = sample();
        FakeModel model = new FakeModel();
        try (TaskPipeline p = r.applyTo(TaskPipeline.builder().model(model)).build()) {
            double dev = Objective.ACCURACY.of(
                    p.run(LabelWordingSearchTest.DEV).metrics().orElseThrow());
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
        assertThrows(
                IllegalArgumentException.class,
                () -> OptimizationResult.loadResult(report),
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
    void writesEachDemonstrationSetOnce() {
        List<TextRecord> demos = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            demos.add(TextRecord.builder()
                    .text("review number " + i)
                    .label(i % 2 == 0 ? "positive" : "negative")
                    .build());
        }
        PromptSpec shared = LabelWordingSearchTest.PLAIN.withDemonstrations(demos);
        List<Candidate> trajectory = new ArrayList<>();
        trajectory.add(new Candidate(0, "start", "", LabelWordingSearchTest.PLAIN, 0.5, Usage.NONE));
        for (int i = 1; i <= 30; i++) {
            PromptSpec s = shared.toBuilder()
                    .option("threshold", String.valueOf(i / 100.0))
                    .build();
            trajectory.add(new Candidate(i, "threshold", "t" + i, s, 0.5 + i / 100.0, Usage.NONE));
        }
        OptimizationResult r = new OptimizationResult(
                "threshold",
                Objective.ACCURACY,
                1,
                trajectory,
                30,
                StopReason.EXHAUSTED,
                Usage.NONE,
                PipelineSpec.builder().task(LabelWordingSearchTest.PLAIN.task()).build());
        String json = r.toJson();
        assertEquals(1, json.split("review number 17\"", -1).length - 1, "the shared demonstrations are written once");
        OptimizationResult back = OptimizationResult.fromJson(json);
        assertEquals(
                r.trajectory().stream().map(Candidate::spec).toList(),
                back.trajectory().stream().map(Candidate::spec).toList());
        assertEquals(json, back.toJson());
    }

    @Test
    void readsFormatOneWithDemonstrationsInline() {
        String v1 = """
                {"format": 1, "optimizer": "demonstrations", "objective": "ACCURACY", "seed": 3, "bestIndex": 1,
                 "stopReason": "EXHAUSTED", "usage": {"calls": 2},
                 "trajectory": [
                  {"index": 0, "optimizer": "start", "note": "", "score": 0.5, "usage": {},
                   "spec": {"taskType": "TEXT_CLASSIFICATION", "labels": [{"name": "positive"}, {"name": "negative"}]}},
                  {"index": 1, "optimizer": "demonstrations", "note": "2 shots", "score": 0.75, "usage": {},
                   "spec": {"taskType": "TEXT_CLASSIFICATION", "labels": [{"name": "positive"}, {"name": "negative"}],
                            "demonstrations": [{"text": "great room", "label": "positive"},
                                               {"text": "rude staff", "label": "negative"}]}}]}
                """;
        OptimizationResult r = OptimizationResult.fromJson(v1);
        assertEquals(0.75, r.bestScore());
        assertEquals(
                List.of("great room", "rude staff"),
                r.bestSpec().demonstrations().stream().map(TextRecord::text).toList());
        assertTrue(r.start().spec().demonstrations().isEmpty());
    }

    @Test
    void readsFormatTwoWithSharedDemonstrationsAndAnOutputFormat() {
        String v2 = """
                {"format": 2, "optimizer": "demonstrations", "objective": "ACCURACY", "seed": 3, "bestIndex": 1,
                 "stopReason": "EXHAUSTED", "usage": {"calls": 2},
                 "demonstrationSets": [[], [{"text": "great room", "label": "positive", "source": "train.csv:2",
                                             "metadata": {"city": "Paris"}}]],
                 "trajectory": [
                  {"index": 0, "optimizer": "start", "note": "", "score": 0.5, "usage": {},
                   "spec": {"taskType": "TEXT_CLASSIFICATION", "instruction": {"template": "Classify {text}", "fields": []},
                            "labels": [{"name": "positive", "wording": "good"}, {"name": "negative", "wording": "negative"}],
                            "entityTypes": [], "demonstrationSet": 0, "outputFormat": "Reply in {braces}",
                            "options": {}}},
                  {"index": 1, "optimizer": "demonstrations", "note": "1 shot", "score": 0.75, "usage": {},
                   "spec": {"taskType": "TEXT_CLASSIFICATION", "instruction": {"template": "Classify {text}", "fields": []},
                            "labels": [{"name": "positive", "wording": "good"}, {"name": "negative", "wording": "negative"}],
                            "entityTypes": [], "demonstrationSet": 1, "outputFormat": "Reply in {braces}",
                            "options": {"k": "v"}}}]}
                """;
        OptimizationResult r = OptimizationResult.fromJson(v2);
        assertEquals(null, r.start().spec().task().examples());
        assertEquals(
                List.of("great room"),
                r.bestSpec().demonstrations().stream().map(TextRecord::text).toList());
        assertEquals(
                "Classify {text}\nReply in {{braces}}",
                r.bestSpec().instruction().source());
        assertTrue(r.bestSpec().render(TextRecord.of("x")).contains("Reply in {braces}"));
        assertEquals("good", r.bestSpec().labels().get(0).description());
        assertEquals("v", r.bestSpec().options().get("k"));
        assertEquals(
                PipelineSpec.builder().task(r.bestSpec().task()).build().model(),
                r.bestPipelineSpec().model(),
                "an old result names no model: the default");
    }

    @Test
    void namesAMissingDemonstrationSet() {
        OptimizationResult withDemonstrations = DemonstrationSelection.builder()
                .model(new FakeModel())
                .perClass(2)
                .trials(2)
                .seed(2)
                .build()
                .optimize(
                        LabelWordingSearchTest.PLAIN,
                        LabelWordingSearchTest.TRAIN,
                        LabelWordingSearchTest.DEV,
                        SearchBudget.ofCandidates(3));
        String json = withDemonstrations.toJson().replace("\"demonstrationSet\" : 0", "\"demonstrationSet\" : 7");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OptimizationResult.fromJson(json));
        assertTrue(e.getMessage().contains("demonstration set 7"), e.getMessage());
    }

    @Test
    void rejectsUnknownFormats() {
        assertThrows(IllegalArgumentException.class, () -> OptimizationResult.fromJson("{\"format\": 99}"));
        assertThrows(IllegalArgumentException.class, () -> OptimizationResult.fromJson("not json"));
    }
}
