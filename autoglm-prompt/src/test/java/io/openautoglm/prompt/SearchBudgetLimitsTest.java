package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.SearchBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimiser stops at every limit, says which, and still returns the best so far. */
class SearchBudgetLimitsTest {
    /** A clock that moves one second each time it is read, so wall time passes without sleeping. */
    static final class TickingClock extends Clock {
        private final AtomicInteger reads = new AtomicInteger();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusSeconds(reads.getAndIncrement());
        }
    }

    record Setup(
            String name, Function<Clock, PromptOptimizer> optimizer, PromptSpec start, Dataset train, Dataset dev) {
        @Override
        public String toString() {
            return name;
        }
    }

    static TextGenerator endless() {
        AtomicInteger n = new AtomicInteger();
        return (prompt, usage) -> {
            usage.record(50, 10, 0.01);
            int i = n.incrementAndGet();
            return "<INS>Variant " + i + " of the task: {text}</INS><INS>Another variant " + i + ": {text}</INS>";
        };
    }

    static List<Setup> setups() {
        FakeModel model = new FakeModel(false, 0.01);
        Dataset train = TestData.reviews("train", 200, 1);
        Dataset dev = TestData.reviews("dev", 40, 2);
        PromptSpec plain = LabelWordingSearchTest.PLAIN;
        List<Setup> all = new ArrayList<>();
        all.add(new Setup(
                "label-wording",
                c -> LabelWordingSearch.builder()
                        .model(model)
                        .batchSize(8)
                        .clock(c)
                        .minedTerms(20)
                        .rounds(5)
                        .build(),
                plain,
                train,
                dev));
        all.add(new Setup(
                "demonstrations",
                c -> DemonstrationSelection.builder()
                        .model(model)
                        .batchSize(8)
                        .clock(c)
                        .trials(40)
                        .bootstrap(false)
                        .build(),
                plain,
                train,
                dev));
        all.add(new Setup(
                "instruction",
                c -> InstructionProposal.builder()
                        .model(model)
                        .generator(endless())
                        .batchSize(8)
                        .clock(c)
                        .maxSteps(100)
                        .patience(100)
                        .build(),
                plain.toBuilder().instruction("Classify: {text}").build(),
                train,
                dev));
        all.add(new Setup(
                "threshold",
                c -> ThresholdSearch.builder()
                        .model(model)
                        .batchSize(8)
                        .clock(c)
                        .steps(40)
                        .build(),
                ThresholdSearchTest.START,
                TestData.pairs("train", 50, 1),
                TestData.pairs("dev", 40, 2)));
        all.add(new Setup(
                "composite",
                c -> CompositeOptimizer.of(
                        DemonstrationSelection.builder()
                                .model(model)
                                .batchSize(8)
                                .clock(c)
                                .trials(3)
                                .bootstrap(false)
                                .build(),
                        DemonstrationSelection.builder()
                                .model(model)
                                .batchSize(8)
                                .clock(c)
                                .trials(40)
                                .seed(2)
                                .bootstrap(false)
                                .build()),
                plain,
                train,
                dev));
        return all;
    }

    static Stream<Arguments> cases() {
        // One candidate on 40 dev records in batches of 8 costs 5 calls, about 40 tokens per call and 0.05.
        List<Object[]> limits = List.of(
                new Object[] {SearchBudget.ofCandidates(6), StopReason.MAX_CANDIDATES},
                new Object[] {SearchBudget.builder().maxModelCalls(23).build(), StopReason.MAX_MODEL_CALLS},
                new Object[] {SearchBudget.builder().maxTokens(800).build(), StopReason.MAX_TOKENS},
                new Object[] {SearchBudget.builder().maxCost(0.23).build(), StopReason.MAX_COST},
                new Object[] {
                    SearchBudget.builder().maxWallTime(Duration.ofSeconds(15)).build(), StopReason.MAX_WALL_TIME
                });
        List<Arguments> out = new ArrayList<>();
        for (Setup s : setups()) {
            for (Object[] l : limits) {
                out.add(Arguments.of(s, l[0], l[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} stops at {2}")
    @MethodSource("cases")
    void stopsAtTheLimit(Setup setup, SearchBudget budget, StopReason expected) {
        OptimizationResult r =
                setup.optimizer().apply(new TickingClock()).optimize(setup.start(), setup.train(), setup.dev(), budget);
        assertEquals(expected, r.stopReason(), r.summary());
        assertTrue(r.trajectory().size() >= 2, "more than the start was tried: " + r.summary());
        assertTrue(r.trajectory().size() <= budget.maxCandidates());
        assertTrue(r.bestScore() >= r.startScore());
        switch (expected) {
            case MAX_CANDIDATES -> assertEquals(6, r.trajectory().size());
            // At most one candidate (5 calls, plus one generation call) past the limit.
            case MAX_MODEL_CALLS ->
                assertTrue(r.usage().calls() >= 23 && r.usage().calls() <= 23 + 6, r.summary());
            case MAX_COST ->
                assertTrue(r.usage().cost() >= 0.23 - 1e-9 && r.usage().cost() <= 0.23 + 0.061, r.summary());
            default -> {}
        }
    }

    @Test
    void theStartIsScoredWhateverTheBudget() {
        OptimizationResult r = LabelWordingSearch.builder()
                .model(new FakeModel())
                .build()
                .optimize(
                        LabelWordingSearchTest.PLAIN,
                        LabelWordingSearchTest.TRAIN,
                        LabelWordingSearchTest.DEV,
                        SearchBudget.ofCandidates(1));
        assertEquals(1, r.trajectory().size());
        assertEquals(StopReason.MAX_CANDIDATES, r.stopReason());
        assertEquals(r.start(), r.best());
    }

    @Test
    void invalidLimitsNameTheFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchBudget.ofCandidates(0));
        assertTrue(e.getMessage().contains("maxCandidates") && e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> SearchBudget.builder().maxModelCalls(0));
        assertThrows(
                IllegalArgumentException.class, () -> SearchBudget.builder().maxTokens(-1));
        assertThrows(
                IllegalArgumentException.class, () -> SearchBudget.builder().maxCost(Double.NaN));
        assertThrows(
                IllegalArgumentException.class, () -> SearchBudget.builder().maxWallTime(Duration.ZERO));
        assertTrue(StopReason.MAX_WALL_TIME.isBudgetLimit());
        assertTrue(!StopReason.NO_IMPROVEMENT.isBudgetLimit());
    }
}
