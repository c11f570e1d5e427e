package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.SearchBudget;
import org.junit.jupiter.api.Test;

class CompositeOptimizerTest {

    @Test
    void runsStagesInSequenceFromTheBestSoFar() {
        FakeModel model = new FakeModel();
        CompositeOptimizer all = CompositeOptimizer.of(
                LabelWordingSearch.builder().model(model).seed(1).build(),
                DemonstrationSelection.builder()
                        .model(model)
                        .perClass(2)
                        .trials(4)
                        .seed(1)
                        .build());
        OptimizationResult r = all.optimize(
                LabelWordingSearchTest.PLAIN,
                LabelWordingSearchTest.TRAIN,
                LabelWordingSearchTest.DEV,
                SearchBudget.unlimited());
        assertEquals("label-wording+demonstrations", r.optimizer());
        int firstDemo = (int) r.trajectory().stream()
                .takeWhile(c -> c.optimizer().equals("label-wording"))
                .count();
        Candidate stage2Start = r.trajectory().get(firstDemo);
        assertEquals("demonstrations", stage2Start.optimizer());
        assertEquals(r.trajectory().get(firstDemo - 1).spec().labels().size(), 2);
        assertTrue(
                !stage2Start.spec().equals(LabelWordingSearchTest.PLAIN) && stage2Start.score() > r.startScore(),
                "stage 2 starts from the wording stage 1 found: "
                        + stage2Start.spec().labels());
        assertEquals(LabelWordingSearchTest.PLAIN, r.start().spec());
        for (int i = 0; i < r.trajectory().size(); i++) {
            assertEquals(i, r.trajectory().get(i).index());
            assertTrue(r.trajectory().get(i).score() <= r.bestScore());
        }
        assertTrue(r.bestScore() >= stage2Start.score());
    }

    @Test
    void sharesOneBudget() {
        FakeModel model = new FakeModel();
        CompositeOptimizer all = CompositeOptimizer.of(
                LabelWordingSearch.builder().model(model).build(),
                DemonstrationSelection.builder().model(model).build());
        OptimizationResult r = all.optimize(
                LabelWordingSearchTest.PLAIN,
                LabelWordingSearchTest.TRAIN,
                LabelWordingSearchTest.DEV,
                SearchBudget.ofCandidates(5));
        assertEquals(5, r.trajectory().size());
        assertEquals(StopReason.MAX_CANDIDATES, r.stopReason());
    }
}
