package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import org.junit.jupiter.api.Test;

class ThresholdSearchTest {
    static final Dataset TRAIN = TestData.pairs("train", 100, 1);
    static final Dataset DEV = TestData.pairs("dev", 150, 2);
    static final Dataset TEST = TestData.pairs("test", 150, 3);
    static final PromptSpec START = PromptSpec.builder(TaskType.SEMANTIC_MATCHING)
            .option("threshold", "0.95")
            .build();

    @Test
    void choosesAThresholdOnDevThatAlsoHelpsOnTest() {
        FakeModel model = new FakeModel();
        OptimizationResult r = ThresholdSearch.builder()
                .model(model)
                .steps(9)
                .refinements(1)
                .build()
                .optimize(START, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(1 + 9 + 4, r.trajectory().size());
        assertEquals(StopReason.EXHAUSTED, r.stopReason());
        assertTrue(r.bestScore() > r.startScore() + 0.1, r.summary());
        double threshold = Double.parseDouble(r.bestSpec().options().get("threshold"));
        assertTrue(threshold > 0 && threshold < 0.95, "threshold " + threshold);
        assertEquals("threshold = 0.0500", r.trajectory().get(1).note());
        assertTrue(
                r.trajectory().get(13).note().endsWith("(refinement 1)"),
                r.trajectory().get(13).note());
        double startTest;
        double bestTest;
        try (var p = START.pipeline(model)) {
            startTest = Objective.POSITIVE_F1.of(p.run(TEST).metrics().orElseThrow());
        }
        try (var p = r.pipeline(model)) {
            bestTest = Objective.POSITIVE_F1.of(p.run(TEST).metrics().orElseThrow());
        }
        assertTrue(bestTest > startTest, bestTest + " vs " + startTest);
    }

    @Test
    void matchingOnly() {
        ThresholdSearch s = ThresholdSearch.builder().model(new FakeModel()).build();
        assertThrows(
                IllegalArgumentException.class,
                () -> s.optimize(
                        LabelWordingSearchTest.PLAIN,
                        LabelWordingSearchTest.TRAIN,
                        LabelWordingSearchTest.DEV,
                        SearchBudget.unlimited()));
        assertThrows(
                IllegalArgumentException.class, () -> ThresholdSearch.builder().objective(Objective.MACRO_F1));
        assertThrows(
                IllegalArgumentException.class, () -> ThresholdSearch.builder().range(0.9, 0.1));
    }
}
