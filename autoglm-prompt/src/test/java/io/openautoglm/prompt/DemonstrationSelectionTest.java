package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemonstrationSelectionTest {
    /** Every spelling of a matching label the tasks accept: bootstrapping must read it as they do. */
    @ParameterizedTest
    @CsvSource({"1,0", "yes,no", "是,否", "match,mismatch"})
    void bootstrappedMatchingDemonstrationsAreOnesTheStartGotRight(String yes, String no) {
        List<TextRecord> train = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            train.add(TextRecord.pair("alpha beta gamma " + i, "alpha beta gamma " + i, yes)); // the start: right
            train.add(TextRecord.pair("red green " + i, "blue white x" + i, yes)); // the start: wrong
            train.add(TextRecord.pair("one two " + i, "three four y" + i, no)); // the start: right
        }
        Dataset dev = Dataset.of("dev", List.of(TextRecord.pair("a b", "a b", yes), TextRecord.pair("a b", "c d", no)));
        PromptSpec start = PromptSpec.builder(TaskType.SEMANTIC_MATCHING)
                .option("threshold", "0.5")
                .build();
        OptimizationResult r = DemonstrationSelection.builder()
                .model(new FakeModel())
                .perClass(2)
                .poolPerClass(10)
                .trials(1)
                .seed(1)
                .build()
                .optimize(start, Dataset.of("train", train), dev, SearchBudget.unlimited());
        Candidate first = r.trajectory().get(1);
        assertTrue(first.note().startsWith("bootstrapped"), first.note());
        for (TextRecord d : first.spec().demonstrations()) {
            if (d.label().equals(yes)) {
                assertEquals(d.text(), d.textB(), "a positive demonstration the start got wrong");
            }
        }
    }

    static final Dataset TRAIN = TestData.reviews("train", 300, 1);
    static final Dataset DEV = TestData.reviews("dev", 120, 2);
    static final PromptSpec PLAIN = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
            .label("positive")
            .label("negative")
            .build();

    @Test
    void picksASetThatBeatsTheStartAndHasKPerClass() {
        // A weak zero-shot start that gets some of each class right, so that there is something to bootstrap.
        PromptSpec weak = PLAIN.withLabels(List.of(
                io.openautoglm.core.Label.of("positive", "great"), io.openautoglm.core.Label.of("negative", "dirty")));
        OptimizationResult r = DemonstrationSelection.builder()
                .model(new FakeModel())
                .perClass(2)
                .trials(12)
                .seed(5)
                .build()
                .optimize(weak, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(13, r.trajectory().size());
        assertEquals(StopReason.EXHAUSTED, r.stopReason());
        assertTrue(r.bestScore() > r.startScore(), r.summary());
        List<TextRecord> demos = r.bestSpec().demonstrations();
        assertEquals(4, demos.size());
        assertEquals(
                2L, demos.stream().filter(d -> d.label().equals("positive")).count());
        assertTrue(
                r.trajectory().get(1).note().startsWith("bootstrapped, most confident"),
                r.trajectory().get(1).note());
        assertTrue(
                r.trajectory().get(2).note().startsWith("labelled, random"),
                r.trajectory().get(2).note());
    }

    @Test
    void beatsTheMeanOfRandomSetsOfTheSameSize() {
        FakeModel model = new FakeModel();
        double selected = 0;
        double random = 0;
        for (long seed = 0; seed < 3; seed++) {
            OptimizationResult r = DemonstrationSelection.builder()
                    .model(model)
                    .perClass(1)
                    .trials(10)
                    .seed(seed)
                    .build()
                    .optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited());
            selected += r.bestScore();
            PromptSpec baseline = PLAIN.withDemonstrations(DemonstrationSelection.randomDemonstrations(TRAIN, 1, seed));
            try (var p = baseline.pipeline(model)) {
                random += Objective.ACCURACY.of(p.run(DEV).metrics().orElseThrow());
            }
        }
        assertTrue(selected > random, "selected " + selected / 3 + " vs random " + random / 3);
    }

    @Test
    void sameSeedSameDemonstrations() {
        DemonstrationSelection s = DemonstrationSelection.builder()
                .model(new FakeModel())
                .perClass(3)
                .trials(6)
                .seed(11)
                .build();
        OptimizationResult a = s.optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited());
        OptimizationResult b = s.optimize(PLAIN, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(a.bestSpec().demonstrations(), b.bestSpec().demonstrations());
        assertEquals(
                a.trajectory().stream().map(Candidate::score).collect(Collectors.toList()),
                b.trajectory().stream().map(Candidate::score).collect(Collectors.toList()));
    }

    @Test
    void randomBaselineHasKPerClass() {
        List<TextRecord> demos = DemonstrationSelection.randomDemonstrations(TRAIN, 8, 1);
        assertEquals(16, demos.size());
        assertEquals(
                8L, demos.stream().filter(d -> d.label().equals("negative")).count());
        assertEquals(demos, DemonstrationSelection.randomDemonstrations(TRAIN, 8, 1));
    }
}
