package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.SearchBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start is always a candidate, so no optimiser returns a spec that scores below it on dev. */
class NeverWorseThanStartTest {

    /** The start is already perfect; every wording tried is worse or equal, and ties keep the start. */
    @Test
    void aPerfectStartStaysTheResult() {
        PromptSpec perfect = LabelWordingSearchTest.PLAIN.withLabels(List.of(
                io.openautoglm.core.Label.of("positive", "great, clean, friendly, quiet, comfortable, spacious"),
                io.openautoglm.core.Label.of("negative", "dirty, rude, noisy, broken, smelly, cramped")));
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .wordings("positive", List.of("bad", "great"))
                .wordings("negative", List.of("great", "dirty, rude, noisy, broken, smelly, cramped"))
                .build()
                .optimize(perfect, LabelWordingSearchTest.TRAIN, LabelWordingSearchTest.DEV, SearchBudget.unlimited());
        assertEquals(1.0, r.startScore(), 1e-12);
        assertTrue(r.trajectory().stream().anyMatch(c -> c.score() < 1.0), "some candidates were worse");
        assertSame(r.start(), r.best());
        assertEquals(0.0, r.improvement());
    }

    @Test
    void everyOptimiserOnSeveralSeeds() {
        for (long seed = 0; seed < 4; seed++) {
            FakeModel model = new FakeModel();
            PromptSpec withDemos = LabelWordingSearchTest.PLAIN.withDemonstrations(
                    DemonstrationSelection.randomDemonstrations(LabelWordingSearchTest.TRAIN, 2, seed));
            List<OptimizationResult> results = List.of(
                    LabelWordingSearch.builder()
                            .model(model)
                            .seed(seed)
                            .build()
                            .optimize(
                                    LabelWordingSearchTest.PLAIN,
                                    LabelWordingSearchTest.TRAIN,
                                    LabelWordingSearchTest.DEV,
                                    SearchBudget.ofCandidates(10)),
                    DemonstrationSelection.builder()
                            .model(model)
                            .perClass(2)
                            .trials(5)
                            .seed(seed)
                            .build()
                            .optimize(
                                    withDemos,
                                    LabelWordingSearchTest.TRAIN,
                                    LabelWordingSearchTest.DEV,
                                    SearchBudget.unlimited()),
                    ThresholdSearch.builder()
                            .model(model)
                            .steps(5)
                            .refinements(1)
                            .build()
                            .optimize(
                                    ThresholdSearchTest.START,
                                    ThresholdSearchTest.TRAIN,
                                    ThresholdSearchTest.DEV,
                                    SearchBudget.unlimited()));
            for (OptimizationResult r : results) {
                assertTrue(r.bestScore() >= r.startScore(), r.summary());
                for (Candidate c : r.trajectory()) {
                    assertTrue(c.score() <= r.bestScore(), r.summary());
                }
                if (r.bestScore() == r.startScore()) {
                    assertSame(r.start(), r.best(), "a tie keeps the start: " + r.summary());
                }
            }
        }
    }
}
