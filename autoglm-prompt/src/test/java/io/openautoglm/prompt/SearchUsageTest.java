package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Failure;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.SearchBudget;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a search spends is what it reports, including a combination whose every answer fails. */
class SearchUsageTest {
    static final Dataset TRAIN = TestData.pairs("train", 50, 1);
    static final Dataset DEV = TestData.pairs("dev", 40, 2);

    /** Every call is paid; with mode=bad every answer is unreadable. */
    static final class PaidModel implements Model {
        final AtomicLong calls = new AtomicLong();

        public String name() {
            return "paid";
        }

        public Predictor predictor(Task task) {
            boolean bad = task.spec().option("mode", "good").equals("bad");
            double t = Double.parseDouble(task.spec().option("threshold", "0.5"));
            return (batch, usage) -> {
                calls.incrementAndGet();
                usage.record(10, 1, 0.01);
                return batch.stream()
                        .map(r -> bad
                                ? Outcome.failure(Failure.Kind.UNPARSEABLE_ANSWER, "unreadable answer")
                                : Outcome.success(new Prediction.Match(
                                        FakeModel.jaccard(FakeModel.words(r.text()), FakeModel.words(r.textB())) >= t,
                                        0.5)))
                        .toList();
            };
        }

        public void close() {}
    }

    @Test
    void refineEachCountsTheCallsOfAFailedCombination() {
        PaidModel model = new PaidModel();
        PromptSpec start = PromptSpec.builder(TaskType.SEMANTIC_MATCHING).build();
        OptionSearch search = OptionSearch.builder()
                .model(model)
                .objective(Objective.ACCURACY)
                .option("mode", List.of("bad", "good"))
                .refineEach(ThresholdSearch.builder()
                        .model(model)
                        .objective(Objective.ACCURACY)
                        .steps(3)
                        .refinements(0)
                        .build())
                .build();
        OptimizationResult r = search.optimize(start, TRAIN, DEV, SearchBudget.unlimited());
        assertEquals(model.calls.get(), r.usage().calls(), "calls made vs calls reported");
    }
}
