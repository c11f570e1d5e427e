package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.RecordResult;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every optimiser, started from a {@link PipelineSpec}, saves a spec that runs as it is: read back, built into a
 * pipeline through the model registry (the fake models' provider) and run on dev, it gives the best candidate's
 * predictions and score, and its task is the best candidate's.
 */
class SavedSpecRunsTest {
    static final Dataset REVIEWS_TRAIN = TestData.reviews("train", 60, 1);
    static final Dataset REVIEWS_DEV = TestData.reviews("dev", 30, 2);
    static final Dataset PAIRS_TRAIN = TestData.pairs("train", 80, 1);
    static final Dataset PAIRS_DEV = TestData.pairs("dev", 40, 2);
    /** A matching spec whose threshold lets few pairs match. */
    static final PromptSpec STRICT = PromptSpec.builder(TaskType.SEMANTIC_MATCHING)
            .option("threshold", "0.95")
            .build();

    @TempDir
    Path dir;

    static PipelineSpec start(PromptSpec task, String model) {
        return PipelineSpec.builder()
                .task(task.task())
                .model(model)
                .run(new PipelineSpec.RunSettings(7, 1, null, null))
                .build();
    }

    /** Saves, reads back, runs the saved spec on dev and checks it against the result and the scoring model. */
    void savedSpecRunsAsReported(OptimizationResult r, PipelineSpec start, Model scoringModel, Dataset dev) {
        assertEquals(start, r.base());
        assertEquals(start.withTask(r.bestSpec().task()), r.bestPipelineSpec());
        Path file = dir.resolve("saved/best.json");
        r.save(file);
        PipelineSpec read = PipelineSpec.read(file);
        assertEquals(r.bestSpec(), PromptSpec.of(read.task()), "the saved task is the best candidate's");
        assertEquals(r.bestSpec().toJson(), PromptSpec.of(read.task()).toJson());
        assertEquals(start.model(), read.model());
        assertEquals(start.run(), read.run());
        PipelineResult saved;
        try (TaskPipeline pipeline = TaskPipeline.builder().spec(read).build()) {
            assertEquals(start.model().name(), pipeline.modelName());
            saved = pipeline.run(dev);
        }
        assertEquals(0, saved.failed());
        assertEquals(
                r.bestScore(),
                r.objective().of(saved.metrics().orElseThrow()),
                1e-12,
                "the saved spec scores on dev what the result reported: " + r.summary());
        PipelineResult scored;
        try (TaskPipeline pipeline = r.pipeline(scoringModel)) {
            scored = pipeline.run(dev);
        }
        assertEquals(predictions(scored), predictions(saved), "the saved spec predicts what the best candidate did");
    }

    static List<Object> predictions(PipelineResult run) {
        return run.results().stream()
                .map(RecordResult::prediction)
                .map(Object.class::cast)
                .toList();
    }

    @Test
    void instructionProposal() {
        PipelineSpec start = start(InstructionProposalTest.START, "fake:careful");
        FakeModel model = new FakeModel(true, 0);
        InstructionProposalTest.Scripted generator = new InstructionProposalTest.Scripted(
                "<INS>Label {text}</INS><INS>Read the review carefully, then label it: {text}</INS>");
        OptimizationResult r = InstructionProposal.builder()
                .model(model)
                .generator(generator)
                .maxSteps(1)
                .seed(4)
                .build()
                .optimize(start, REVIEWS_TRAIN, REVIEWS_DEV, SearchBudget.ofCandidates(4));
        assertTrue(r.bestSpec().instruction().source().contains("carefully"), r.summary());
        assertTrue(r.improvement() > 0, r.summary());
        savedSpecRunsAsReported(r, start, model, REVIEWS_DEV);
    }

    /** A wording search that tries the wordings given and mines none, so that a tiny budget finds the better one. */
    static LabelWordingSearch wordings(FakeModel model) {
        return LabelWordingSearch.builder()
                .model(model)
                .mineTrainingData(false)
                .wordings("negative", List.of("broken", "dirty rude noisy broken smelly cramped"))
                .build();
    }

    @Test
    void labelWordingSearch() {
        PipelineSpec start = start(LabelWordingSearchTest.PLAIN, "fake");
        FakeModel model = new FakeModel();
        OptimizationResult r =
                wordings(model).optimize(start, REVIEWS_TRAIN, REVIEWS_DEV, SearchBudget.ofCandidates(8));
        assertNotEquals(LabelWordingSearchTest.PLAIN.labels(), r.bestSpec().labels(), r.summary());
        savedSpecRunsAsReported(r, start, model, REVIEWS_DEV);
    }

    @Test
    void demonstrationSelection() {
        PipelineSpec start = start(LabelWordingSearchTest.PLAIN, "fake");
        FakeModel model = new FakeModel();
        OptimizationResult r = DemonstrationSelection.builder()
                .model(model)
                .perClass(2)
                .trials(3)
                .seed(1)
                .build()
                .optimize(start, REVIEWS_TRAIN, REVIEWS_DEV, SearchBudget.ofCandidates(4));
        assertFalse(r.bestSpec().demonstrations().isEmpty(), r.summary());
        savedSpecRunsAsReported(r, start, model, REVIEWS_DEV);
    }

    @Test
    void optionSearch() {
        PipelineSpec start = start(STRICT, "fake");
        FakeModel model = new FakeModel();
        OptimizationResult r = OptionSearch.builder()
                .model(model)
                .option("method", List.of("threshold", "head"))
                .option("threshold", List.of("0.3", "0.6"))
                .demonstrations(40)
                .seed(5)
                .build()
                .optimize(start, PAIRS_TRAIN, PAIRS_DEV, SearchBudget.ofCandidates(5));
        assertTrue(r.improvement() > 0, r.summary());
        savedSpecRunsAsReported(r, start, model, PAIRS_DEV);
    }

    @Test
    void thresholdSearch() {
        PipelineSpec start = start(STRICT, "fake");
        FakeModel model = new FakeModel();
        OptimizationResult r = ThresholdSearch.builder()
                .model(model)
                .steps(5)
                .refinements(1)
                .build()
                .optimize(start, PAIRS_TRAIN, PAIRS_DEV, SearchBudget.ofCandidates(8));
        assertTrue(r.improvement() > 0, r.summary());
        savedSpecRunsAsReported(r, start, model, PAIRS_DEV);
    }

    @Test
    void compositeOptimizer() {
        PipelineSpec start = start(LabelWordingSearchTest.PLAIN, "fake");
        FakeModel model = new FakeModel();
        OptimizationResult r = CompositeOptimizer.of(
                        wordings(model),
                        DemonstrationSelection.builder()
                                .model(model)
                                .perClass(2)
                                .trials(2)
                                .seed(1)
                                .build())
                .optimize(start, REVIEWS_TRAIN, REVIEWS_DEV, SearchBudget.ofCandidates(10));
        assertTrue(
                r.trajectory().stream().anyMatch(c -> c.optimizer().equals(DemonstrationSelection.NAME)), r.summary());
        savedSpecRunsAsReported(r, start, model, REVIEWS_DEV);
    }

    @Test
    void aBareStartSavesASpecOnTheScoringModel() {
        FakeModel model = new FakeModel();
        OptimizationResult r = wordings(model)
                .optimize(LabelWordingSearchTest.PLAIN, REVIEWS_TRAIN, REVIEWS_DEV, SearchBudget.ofCandidates(8));
        assertEquals("fake", r.bestPipelineSpec().model().name());
        savedSpecRunsAsReported(
                r,
                PipelineSpec.builder()
                        .task(LabelWordingSearchTest.PLAIN.task())
                        .model("fake")
                        .build(),
                model,
                REVIEWS_DEV);
    }

    @Test
    void aSavedSpecKeepsTheStartsPathsFromItsNewFolder() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        PipelineSpec start = start(LabelWordingSearchTest.PLAIN, "fake").toBuilder()
                .sink(PipelineSpec.Sink.jsonl("out/predictions.jsonl"))
                .baseDir(project)
                .build();
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .seed(3)
                .build()
                .optimize(start, REVIEWS_TRAIN, REVIEWS_DEV, SearchBudget.ofCandidates(3));
        Path file = dir.resolve("elsewhere/best.json");
        r.save(file);
        PipelineSpec read = PipelineSpec.read(file);
        assertEquals(
                project.resolve("out/predictions.jsonl"),
                read.resolve(read.sink().path()));
    }
}
