package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Faulty models and a pipeline closed mid-run: every record still ends as a result or a failure with its reason. */
class PipelineFailureModesTest {

    private static Model model(Predictor p) {
        return new Model() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public Predictor predictor(Task task) {
                return p;
            }

            @Override
            public void close() {}
        };
    }

    private static List<TextRecord> records(int n) {
        List<TextRecord> in = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.add(TextRecord.of("x" + i, "正面"));
        }
        return in;
    }

    private static List<Outcome> positive(List<TextRecord> batch) {
        return batch.stream()
                .map(r -> Outcome.success(new Prediction.Classification("正面", 1, Map.of())))
                .toList();
    }

    private static TaskPipeline pipeline(Predictor p) {
        return TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(model(p))
                .labels("正面", "负面")
                .batchSize(2)
                .concurrency(1)
                .build();
    }

    @Test
    void aLabelOutsideTheLabelSetFailsItsRecordOnly() {
        Predictor p = (batch, usage) -> batch.stream()
                .map(r -> Outcome.success(
                        new Prediction.Classification(r.text().equals("x3") ? "其他" : "正面", 1, Map.of()),
                        "raw:" + r.text()))
                .toList();
        try (TaskPipeline pipe = pipeline(p)) {
            PipelineResult r = pipe.run(Dataset.of(records(10)));
            assertEquals(10, r.total(), r.toString());
            assertEquals(1, r.failures().size());
            RecordResult bad = r.failures().get(0);
            assertEquals("x3", bad.record().text());
            assertEquals(Failure.Kind.UNPARSEABLE_ANSWER, bad.failure().kind());
            String message = bad.failure().message();
            assertTrue(message.contains("'其他'") && message.contains("正面"), message);
            assertEquals("raw:x3", bad.raw(), "the raw answer is kept");
        }
    }

    @Test
    void aPredictionOfAnotherTasksTypeOrNoneFailsItsRecord() {
        Predictor p = (batch, usage) -> batch.stream()
                .map(r -> switch (r.text()) {
                    case "x1" -> Outcome.success(new Prediction.Match(true, 0.9));
                    case "x2" -> (Outcome) null;
                    default -> Outcome.success(new Prediction.Classification("正面", 1, Map.of()));
                })
                .toList();
        try (TaskPipeline pipe = pipeline(p)) {
            PipelineResult r = pipe.run(Dataset.of(records(6)));
            assertEquals(6, r.total());
            assertEquals(
                    List.of("x1", "x2"),
                    r.failures().stream().map(f -> f.record().text()).toList());
            Failure wrongType = r.failures().get(0).failure();
            Failure none = r.failures().get(1).failure();
            assertTrue(wrongType.message().contains("Match prediction"), wrongType.toString());
            assertTrue(none.message().contains("no outcome"), none.toString());
            assertEquals(Failure.Kind.MODEL_ERROR, wrongType.kind());
            assertEquals(Failure.Kind.MODEL_ERROR, none.kind());
        }
    }

    @Test
    void anErrorThrownByTheModelFailsItsBatchOnly() {
        Predictor p = (batch, usage) -> {
            if (batch.get(0).text().equals("x2")) {
                throw new UnsatisfiedLinkError("no libtorch in java.library.path");
            }
            return positive(batch);
        };
        try (TaskPipeline pipe = pipeline(p)) {
            PipelineResult r = pipe.run(Dataset.of(records(10)));
            assertEquals(10, r.total());
            assertEquals(
                    List.of("x2", "x3"),
                    r.failures().stream().map(f -> f.record().text()).toList());
            Failure f = r.failures().get(0).failure();
            assertTrue(f.message().contains("UnsatisfiedLinkError"), f.toString());
            assertEquals(Failure.Kind.MODEL_ERROR, f.kind());
        }
    }

    @Test
    void closingThePipelineEndsARunningRunWithEveryRecordAccountedFor() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Predictor p = (batch, usage) -> {
            entered.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return positive(batch);
        };
        TaskPipeline pipe = pipeline(p);
        PipelineRun run = pipe.start(Dataset.of(records(40)), null);
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        Thread.sleep(100);
        pipe.close(); // before: queued batches dropped with their permits held, and the run never ended
        PipelineResult r = run.result().get(10, TimeUnit.SECONDS);
        assertEquals(40, r.total(), r.toString());
        assertTrue(
                r.failures().stream().anyMatch(f -> f.failure().message().contains("closed")),
                r.failures().toString());
        assertEquals(Map.of(Failure.Kind.CANCELLED, r.failed()), r.failuresByKind(), "the interrupted batch too");
        assertTrue(r.cancelled(), "a run that close() cut short reports it");
        assertTrue(r.summary().contains("(cancelled)"), r.summary());
    }

    @Test
    void aModelWhosePreparationFailsIsClosed() {
        FailingPrepProvider.opened.set(0);
        FailingPrepProvider.closed.set(0);
        TaskPipeline pipe = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model("failprep:x")
                .labels("正面", "负面")
                .build();
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalStateException.class, () -> pipe.run(Dataset.of(List.of(TextRecord.of("a")))));
        }
        pipe.close();
        assertEquals(3, FailingPrepProvider.opened.get());
        assertEquals(3, FailingPrepProvider.closed.get(), "every opened model is closed");
    }

    @Test
    void macroF1AveragesOverTheLabelsThatOccur() {
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面", "中性")
                .build());
        List<TextRecord> gold = List.of(TextRecord.of("a", "正面"), TextRecord.of("b", "负面"), TextRecord.of("c", "负面"));
        List<Prediction> pred = List.of(
                new Prediction.Classification("正面", 1, Map.of()),
                new Prediction.Classification("负面", 1, Map.of()),
                new Prediction.Classification("正面", 1, Map.of()));
        Metrics.ClassificationMetrics m = (Metrics.ClassificationMetrics) Evaluator.evaluate(task, gold, pred);
        // 正面: P 1/2, R 1 -> F1 2/3; 负面: P 1, R 1/2 -> F1 2/3; 中性 occurs nowhere and is not averaged in
        assertEquals(2.0 / 3, m.macroF1(), 1e-9);
        assertEquals(3, m.perLabel().size(), "the absent label is still listed");
    }
}
