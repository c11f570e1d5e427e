package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/** The pipeline under concurrent work: bounds, order, cancellation and failures hold on every run. */
class PipelineConcurrencyTest {

    private static List<Outcome> ok(List<TextRecord> batch) {
        return batch.stream()
                .map(r -> Outcome.success(new Prediction.Classification("a", 1, null)))
                .toList();
    }

    private static List<TextRecord> input(int n) {
        List<TextRecord> in = new ArrayList<>();
        for (int i = 0; i < n; i++) in.add(TextRecord.of("t" + i));
        return in;
    }

    /** Counts its calls, opens {@code first} on the first one, and holds every call until {@code release} opens. */
    private static Predictor held(AtomicInteger calls, CountDownLatch first, CountDownLatch release) {
        return (batch, usage) -> {
            calls.incrementAndGet();
            first.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(batch);
        };
    }

    @RepeatedTest(2)
    void cancelKeepsQueuedBatchesFromReachingTheModel() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(held(calls, first, release)))
                .labels("a", "b")
                .batchSize(1)
                .concurrency(1)
                .build()) {
            PipelineRun run = p.start(Dataset.of(input(50)), null);
            assertTrue(first.await(5, TimeUnit.SECONDS));
            Thread.sleep(300); // let the reader queue what the permits allow
            run.cancel();
            release.countDown();
            PipelineResult r = run.join();
            assertEquals(50, r.total());
            assertEquals(1, calls.get(), "model calls after cancel(): a queued batch still reached the model");
            assertEquals(49, r.failed());
        }
    }

    @RepeatedTest(2)
    void closeKeepsBatchesQueuedOnACallersExecutorFromTheModel() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            TaskPipeline p = TaskPipeline.builder()
                    .taskType(TaskType.TEXT_CLASSIFICATION)
                    .model(new StubModel(held(calls, first, release)))
                    .labels("a", "b")
                    .batchSize(2)
                    .concurrency(1)
                    .executor(callers)
                    .build();
            PipelineRun run = p.start(Dataset.of(input(20)), null);
            assertTrue(first.await(5, TimeUnit.SECONDS));
            p.close(); // the caller's executor keeps running: the batch queued on it must not reach the model
            release.countDown();
            PipelineResult r = run.join();
            assertEquals(1, calls.get(), "model calls after close()");
            assertTrue(r.cancelled(), "a run that close() cut short reports it: " + r.summary());
            assertEquals(20, r.total());
            assertEquals(2, r.succeeded(), "the batch in flight when close() came");
            assertEquals(
                    Failure.of(Failure.Kind.CANCELLED, "cancelled: the pipeline was closed"),
                    r.results().get(19).failure());
        } finally {
            callers.shutdownNow();
        }
    }

    @RepeatedTest(3)
    void concurrencyBoundsPredictorCallsOnASuppliedExecutor() {
        AtomicInteger now = new AtomicInteger(), max = new AtomicInteger();
        Predictor slow = (batch, usage) -> {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return ok(batch);
        };
        ExecutorService ex = Executors.newCachedThreadPool();
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(slow))
                .labels("a", "b")
                .batchSize(1)
                .concurrency(2)
                .executor(ex)
                .build()) {
            PipelineResult r = p.run(Dataset.of(input(40)));
            assertEquals(40, r.succeeded());
        } finally {
            ex.shutdownNow();
        }
        assertTrue(max.get() <= 2, "concurrency(2) but " + max.get() + " predictor calls at once");
    }

    @RepeatedTest(10)
    void progressIsMonotoneAndEndsAtTheTotal() {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        Predictor quick = (batch, usage) -> ok(batch);
        int n = 4000;
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(quick))
                .labels("a", "b")
                .batchSize(1)
                .concurrency(4)
                .progressListener(pr -> seen.add(pr.done()))
                .build()) {
            p.run(Dataset.of(input(n)));
        }
        long prev = -1;
        for (int i = 0; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= prev, "progress went back from " + prev + " to " + seen.get(i) + " at call " + i);
            prev = seen.get(i);
        }
        assertEquals(n, prev);
    }

    @RepeatedTest(5)
    void aSinkThatThrowsAnErrorEndsTheRunWithIt() {
        Predictor quick = (batch, usage) -> ok(batch);
        AtomicInteger accepted = new AtomicInteger();
        ResultSink sink = r -> {
            if (r.index() == 5) throw new AssertionError("sink broke");
            accepted.incrementAndGet();
        };
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(quick))
                .labels("a", "b")
                .batchSize(4)
                .concurrency(2)
                .build()) {
            Throwable t = assertThrows(
                    Throwable.class,
                    () -> p.run(Dataset.of(input(40)), sink),
                    "before: the error killed a worker, later batches were never delivered and the run returned");
            assertEquals("sink broke", t.getMessage());
        }
    }

    @RepeatedTest(2)
    void overlappingRunsEachGetTheirOwnRecordsInOrder() throws Exception {
        Predictor echo = (batch, usage) -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return batch.stream()
                    .map(r -> Outcome.success(
                            new Prediction.Classification(r.text().startsWith("A") ? "a" : "b", 1, null)))
                    .toList();
        };
        try (TaskPipeline p = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(new StubModel(echo))
                .labels("a", "b")
                .batchSize(3)
                .concurrency(3)
                .build()) {
            List<CompletableFuture<PipelineResult>> rs = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                String prefix = k % 2 == 0 ? "A" : "B";
                List<TextRecord> in = new ArrayList<>();
                for (int i = 0; i < 300; i++) in.add(TextRecord.of(prefix + i));
                rs.add(CompletableFuture.supplyAsync(() -> p.run(Dataset.of(in))));
            }
            for (int k = 0; k < 4; k++) {
                PipelineResult r = rs.get(k).get(30, TimeUnit.SECONDS);
                assertEquals(300, r.total());
                assertEquals(300, r.succeeded());
                for (int i = 0; i < 300; i++) {
                    assertEquals(i, r.results().get(i).index());
                    assertEquals(
                            (k % 2 == 0 ? "A" : "B") + i,
                            r.results().get(i).record().text());
                }
            }
        }
    }
}
