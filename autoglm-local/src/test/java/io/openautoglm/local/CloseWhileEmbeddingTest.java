package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.UsageMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a model while calls are inside it: they end with "closed", never hang and never crash the JVM. */
class CloseWhileEmbeddingTest {

    private static List<String> reviews(int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add("第" + i + "条评论：房间很干净，服务也不错，早餐丰富，位置方便，下次还会再来。");
        }
        return texts;
    }

    private static CompletableFuture<Object> embedAsync(LocalEmbeddings e, List<String> texts, UsageMeter meter) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return e.embed(texts, meter);
            } catch (RuntimeException x) {
                return x;
            }
        });
    }

    @Test
    void aCallerWhoseSubBatchesWereStillQueuedIsReleased() throws Exception {
        LocalEmbeddings e = LocalEmbeddings.open(
                "local:bge-small-zh",
                LocalOptions.builder().parallelRuns(2).batchSize(1).cacheSize(0).build());
        List<String> texts = reviews(400);
        UsageMeter meter = new UsageMeter();
        CompletableFuture<Object> first = embedAsync(e, texts, meter);
        while (meter.snapshot(Duration.ZERO).calls() < 5) {
            Thread.sleep(5);
        }
        // a second caller, its sub-batches queued behind the first's
        CompletableFuture<Object> second = embedAsync(e, texts.subList(0, 100), null);
        Thread.sleep(300);
        e.close(); // before: the queued sub-batches were dropped and the second caller waited forever
        for (CompletableFuture<Object> call : List.of(first, second)) {
            Object outcome = call.get(30, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, outcome, String.valueOf(outcome));
            assertTrue(((Exception) outcome).getMessage().contains("closed"), outcome.toString());
        }
    }

    @Test
    void closingDuringTokenizationWaitsForTheTokenizer() throws Exception {
        LocalEmbeddings e = LocalEmbeddings.open(
                "local:bge-small-zh",
                LocalOptions.builder().parallelRuns(1).cacheSize(0).build());
        CompletableFuture<Object> call = embedAsync(e, reviews(60_000), null);
        Thread.sleep(150);
        e.close(); // before: the native tokenizer was freed under the call, and the JVM aborted
        Object outcome = call.get(120, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, outcome, String.valueOf(outcome));
    }
}
