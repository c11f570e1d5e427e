package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionSearchTest {
    static final Dataset TRAIN = TestData.pairs("train", 200, 1);
    static final Dataset DEV = TestData.pairs("dev", 150, 2);
    static final Dataset TEST = TestData.pairs("test", 150, 3);
    static final PromptSpec START = PromptSpec.builder(TaskType.SEMANTIC_MATCHING)
            .option("threshold", "0.95")
            .build();

    private static OptionSearch.Builder search(FakeModel model) {
        return OptionSearch.builder()
                .model(model)
                .objective(Objective.ACCURACY)
                .option("method", List.of("threshold", "head"))
                .option("threshold", List.of("0.95", "0.05"));
    }

    @Test
    void scoresEveryCombinationInOrderAndKeepsTheBestOnDev() {
        FakeModel model = new FakeModel();
        // "head" needs labelled pairs: without demonstrations its candidates fail and score 0
        OptimizationResult r = search(model).build().optimize(START, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(
                List.of(
                        "start (method=default, threshold=0.95, 0 demonstrations)",
                        "method=threshold, threshold=0.95",
                        "method=threshold, threshold=0.05"),
                r.trajectory().stream().limit(3).map(Candidate::note).toList());
        assertEquals(5, r.trajectory().size());
        assertTrue(
                r.trajectory().get(3).note().contains("failed"),
                r.trajectory().get(3).note());
        assertEquals(0.0, r.trajectory().get(3).score());
        assertEquals(StopReason.EXHAUSTED, r.stopReason());
        assertTrue(r.bestScore() >= r.startScore());
    }

    @Test
    void demonstrationsFromTrainLetAHeadBeTried() {
        FakeModel model = new FakeModel();
        PromptSpec plain = PromptSpec.builder(TaskType.SEMANTIC_MATCHING).build();
        OptionSearch search = OptionSearch.builder()
                .model(model)
                .objective(Objective.ACCURACY)
                .option("method", List.of("threshold", "head"))
                .demonstrations(80)
                .seed(3)
                .build();
        OptimizationResult r = search.optimize(plain, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(3, r.trajectory().size());
        assertEquals(0, r.start().spec().demonstrations().size(), "the start keeps its own demonstrations");
        Candidate head = r.trajectory().get(2);
        assertEquals(80, head.spec().demonstrations().size());
        assertEquals("method=head + 80 demonstrations from train", head.note());
        assertTrue(head.score() > 0.5, "the head candidate ran: " + head.score());
        assertTrue(r.bestScore() >= r.startScore(), r.summary());
        // same seed, same trajectory; another seed, another sample
        OptimizationResult again = search.optimize(plain, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(
                r.trajectory().stream().map(Candidate::spec).toList(),
                again.trajectory().stream().map(Candidate::spec).toList());
        assertTrue(!OptionSearch.sample(TRAIN, 80, 3).equals(OptionSearch.sample(TRAIN, 80, 4)));
    }

    @Test
    void neverWorseThanTheStartOnDev() {
        FakeModel model = new FakeModel();
        PromptSpec good = PromptSpec.builder(TaskType.SEMANTIC_MATCHING)
                .option("threshold", "0.5")
                .build();
        OptimizationResult r = OptionSearch.builder()
                .model(model)
                .option("threshold", List.of("0.99", "0.0"))
                .build()
                .optimize(good, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(good, r.bestSpec());
        assertEquals(r.startScore(), r.bestScore());
    }

    @Test
    void stopsAtTheCandidateBudget() {
        OptimizationResult r = search(new FakeModel())
                .demonstrations(50)
                .build()
                .optimize(START, TRAIN, DEV, SearchBudget.ofCandidates(3));
        assertEquals(3, r.trajectory().size());
        assertEquals(StopReason.MAX_CANDIDATES, r.stopReason());
    }

    @Test
    void composesWithThresholdSearch() {
        FakeModel model = new FakeModel();
        PromptOptimizer both = CompositeOptimizer.of(
                OptionSearch.builder()
                        .model(model)
                        .option("method", List.of("head"))
                        .demonstrations(80)
                        .build(),
                ThresholdSearch.builder().model(model).steps(5).refinements(1).build());
        PromptSpec plain = PromptSpec.builder(TaskType.SEMANTIC_MATCHING).build();
        OptimizationResult r = both.optimize(plain, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals("options+threshold", r.optimizer());
        assertTrue(r.bestScore() >= r.startScore());
        assertEquals("head", r.bestSpec().options().get("method"), "the threshold stage starts from the head");
        assertEquals(2 + 1 + 5 + 4, r.trajectory().size());
        assertTrue(r.trajectory().get(3).spec().options().containsKey("threshold"));
    }

    @Test
    void refinesEveryCombinationBeforeComparingThem() {
        FakeModel model = new FakeModel();
        PromptSpec plain = PromptSpec.builder(TaskType.SEMANTIC_MATCHING).build();
        OptionSearch search = OptionSearch.builder()
                .model(model)
                .option("method", List.of("threshold", "head"))
                .demonstrations(80)
                .refineEach(ThresholdSearch.builder()
                        .model(model)
                        .steps(5)
                        .refinements(1)
                        .build())
                .build();
        OptimizationResult r = search.optimize(plain, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals("options+threshold", r.optimizer());
        assertEquals(1 + 2 * (1 + 5 + 4), r.trajectory().size());
        assertEquals(
                "method=head + 80 demonstrations from train: start",
                r.trajectory().get(11).note());
        assertEquals("threshold", r.trajectory().get(12).optimizer());
        assertTrue(r.bestScore() >= r.startScore());
        assertTrue(
                r.bestSpec().options().containsKey("threshold"),
                r.bestSpec().options().toString());
        for (int i = 0; i < r.trajectory().size(); i++) {
            assertEquals(i, r.trajectory().get(i).index());
            assertTrue(r.trajectory().get(i).score() <= r.bestScore());
        }
        // one budget across the combinations: the second is cut short
        OptimizationResult cut = search.optimize(plain, TRAIN, DEV, SearchBudget.ofCandidates(14));
        assertEquals(14, cut.trajectory().size());
        assertEquals(StopReason.MAX_CANDIDATES, cut.stopReason());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(
                IllegalArgumentException.class,
                () -> OptionSearch.builder().model(new FakeModel()).build());
        assertThrows(
                IllegalArgumentException.class, () -> OptionSearch.builder().option(" ", List.of("a")));
        assertThrows(
                IllegalArgumentException.class, () -> OptionSearch.builder().option("l2", List.of()));
        assertThrows(
                IllegalArgumentException.class, () -> OptionSearch.builder().demonstrations(-1));
    }

    @Test
    void refineEachGoesOnPastACombinationThatCannotRun() {
        FakeModel model = new FakeModel();
        PromptSpec start = PromptSpec.builder(TaskType.SEMANTIC_MATCHING)
                .option("threshold", "0.5")
                .build();
        OptionSearch search = OptionSearch.builder()
                .model(model)
                .objective(Objective.ACCURACY)
                .option("method", List.of("head", "threshold")) // the head needs demonstrations, and has none
                .refineEach(ThresholdSearch.builder()
                        .model(model)
                        .objective(Objective.ACCURACY)
                        .steps(3)
                        .refinements(0)
                        .build())
                .build();
        OptimizationResult r = search.optimize(start, TRAIN, DEV, SearchBudget.unlimited());
        assertTrue(
                r.trajectory().stream()
                        .anyMatch(c ->
                                c.note().contains("method=head") && c.note().contains("failed")),
                r.summary());
        assertTrue(
                r.trajectory().stream()
                        .anyMatch(c -> c.note().contains("method=threshold")
                                && !c.note().contains("failed")),
                "the combination after the failed one still ran: " + r.summary());
    }
}
