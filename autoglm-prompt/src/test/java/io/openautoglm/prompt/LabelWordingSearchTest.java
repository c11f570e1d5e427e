package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LabelWordingSearchTest {
    static final Dataset TRAIN = TestData.reviews("train", 300, 1);
    static final Dataset DEV = TestData.reviews("dev", 120, 2);
    static final PromptSpec PLAIN = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
            .label("positive")
            .label("negative")
            .build();

    @Test
    void aDevSetWithNothingToScoreIsAnError() {
        LabelWordingSearch search =
                LabelWordingSearch.builder().model(new FakeModel()).seed(2).build();
        IllegalArgumentException empty = assertThrows(
                IllegalArgumentException.class,
                () -> search.optimize(PLAIN, TRAIN, Dataset.of("dev", List.of()), SearchBudget.unlimited()));
        assertTrue(
                empty.getMessage().contains("'dev'") && empty.getMessage().contains("no records"), empty.getMessage());
        Dataset unlabelled = Dataset.of("unlabelled", List.of(TextRecord.of("房间很干净"), TextRecord.of("服务很差")));
        IllegalArgumentException noGold = assertThrows(
                IllegalArgumentException.class,
                () -> search.optimize(PLAIN, TRAIN, unlabelled, SearchBudget.unlimited()));
        assertTrue(noGold.getMessage().contains("gold answer"), noGold.getMessage());
    }

    @Test
    void minedWordingsLiftAPlainLabelSet() {
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .seed(3)
                .build()
                .optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(PLAIN, r.start().spec());
        assertTrue(r.startScore() < 0.7, "plain labels tie, so all go to the first: " + r.startScore());
        assertTrue(r.bestScore() > 0.9, r.summary());
        // Ties go to the first label, so wording the second with mined negative terms is enough.
        assertTrue(
                r.bestSpec().labels().get(1).description().matches(".*(dirty|rude|noisy|broken|smelly|cramped).*"),
                r.bestSpec().labels().toString());
        assertTrue(r.stopReason() == StopReason.NO_IMPROVEMENT || r.stopReason() == StopReason.EXHAUSTED);
    }

    @Test
    void userWordingsComeFirst() {
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .mineTrainingData(false)
                .wordings("negative", List.of("dirty rude noisy broken smelly cramped"))
                .build()
                .optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(1.0, r.bestScore(), 1e-9);
        assertEquals(
                "label negative = \"dirty rude noisy broken smelly cramped\"",
                r.best().note());
    }

    @Test
    void theBestWordingsAreJoined() {
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .mineTrainingData(false)
                .wordings("negative", List.of("dirty rude", "noisy broken", "smelly cramped", "bad"))
                .build()
                .optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(1.0, r.bestScore(), 1e-9);
        assertTrue(r.best().note().endsWith("(joined)"), r.best().note());
        assertEquals(
                3,
                r.bestSpec().labels().get(1).description().split(", ").length,
                r.bestSpec().labels().toString());
    }

    @Test
    void generatedWordingsAreUsedAndBilled() {
        AtomicInteger calls = new AtomicInteger();
        TextGenerator gen = (prompt, usage) -> {
            calls.incrementAndGet();
            usage.record(100, 20, 0.5);
            return prompt.contains("\"negative\"")
                    ? "1. dirty, rude, noisy, broken, smelly, cramped\n2. bad"
                    : "- fine";
        };
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .mineTrainingData(false)
                .generator(gen)
                .build()
                .optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(2, calls.get());
        assertEquals(1.0, r.bestScore(), 1e-9);
        assertEquals(1.0, r.usage().cost(), 1e-9);
        assertEquals(
                "dirty, rude, noisy, broken, smelly, cramped",
                r.bestSpec().labels().get(1).description());
    }

    @Test
    void sameSeedSameResult() {
        LabelWordingSearch s = LabelWordingSearch.builder()
                .model(new FakeModel())
                .seed(9)
                .miningSample(100)
                .build();
        OptimizationResult a = s.optimize(PLAIN, TRAIN, DEV, SearchBudget.ofCandidates(12));
        OptimizationResult b = s.optimize(PLAIN, TRAIN, DEV, SearchBudget.ofCandidates(12));
        assertEquals(
                a.trajectory().stream().map(Candidate::note).toList(),
                b.trajectory().stream().map(Candidate::note).toList());
        assertEquals(a.bestSpec(), b.bestSpec());
    }

    @Test
    void refusesOtherTasksAndUnknownLabels() {
        LabelWordingSearch s =
                LabelWordingSearch.builder().model(new FakeModel()).build();
        PromptSpec matching = PromptSpec.builder(TaskType.SEMANTIC_MATCHING).build();
        assertThrows(IllegalArgumentException.class, () -> s.optimize(matching, TRAIN, DEV, SearchBudget.unlimited()));
        LabelWordingSearch wrong = LabelWordingSearch.builder()
                .model(new FakeModel())
                .wordings("neutral", List.of("meh"))
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> wrong.optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited()));
        assertTrue(e.getMessage().contains("neutral"));
        assertThrows(
                IllegalArgumentException.class,
                () -> LabelWordingSearch.builder().build());
    }

    @Test
    void devMustNotBeTrain() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LabelWordingSearch.builder()
                        .model(new FakeModel())
                        .build()
                        .optimize(PLAIN, TRAIN, TRAIN, SearchBudget.unlimited()));
        assertTrue(e.getMessage().startsWith("dev:"), e.getMessage());
    }
}
