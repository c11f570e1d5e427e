package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Usage;
import io.openautoglm.core.UsageMeter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalEmbeddingsTest {
    private static LocalEmbeddings bge;

    @BeforeAll
    static void open() {
        bge = LocalEmbeddings.open("local:bge-small-zh");
    }

    @AfterAll
    static void close() {
        bge.close();
    }

    @Test
    void shippedModelGivesUnitVectorsOf512() {
        float[][] v = bge.embed(List.of("房间很干净", "服务态度很差，再也不来了", "今天天气不错"));
        assertEquals(512, bge.dimension());
        assertEquals(3, v.length);
        for (float[] row : v) {
            assertEquals(512, row.length);
            double norm = 0;
            for (float x : row) {
                norm += x * x;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-4);
        }
    }

    @Test
    void similarTextsAreCloserThanDissimilarOnes() {
        float[][] v = bge.embed(List.of("酒店房间非常干净整洁", "房间很干净，打扫得很整洁", "这家公司的股票今天大跌"));
        double close = LocalEmbeddings.cosine(v[0], v[1]);
        double far = LocalEmbeddings.cosine(v[0], v[2]);
        assertTrue(close > far + 0.1, "similar " + close + " vs dissimilar " + far);
    }

    @Test
    void batchingAndSortingKeepInputOrder() {
        List<String> texts = List.of("短", "这是一个长一些的句子，用来检查排序之后顺序是否还原", "中等长度的句子", "好");
        float[][] together = bge.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = bge.embed(List.of(texts.get(i)))[0];
            assertEquals(1.0, LocalEmbeddings.cosine(together[i], alone), 1e-4, "text " + i);
        }
    }

    @Test
    void usageCountsForwardPassesAndTokens() {
        try (LocalEmbeddings uncached = LocalEmbeddings.open(
                "local:bge-small-zh",
                LocalOptions.builder().cacheSize(0).batchSize(2).build())) {
            UsageMeter meter = new UsageMeter();
            List<String> texts = List.of("一", "二二", "三三三", "四四四四", "五五五五五");
            uncached.embed(texts, meter);
            Usage usage = meter.snapshot(Duration.ZERO);
            assertEquals(3, usage.calls(), "5 texts in sub-batches of 2");
            long tokens = texts.stream().mapToLong(uncached::tokenCount).sum();
            assertEquals(tokens, usage.promptTokens());
            assertEquals(0, usage.completionTokens());
        }
    }

    @Test
    void longTextsAreCutAndCounted() {
        try (LocalEmbeddings short16 = LocalEmbeddings.open(
                "local:bge-small-zh", LocalOptions.builder().maxTokens(16).build())) {
            UsageMeter meter = new UsageMeter();
            String longText = "这家酒店的位置很好，离地铁站很近，房间也很宽敞明亮，早餐种类丰富。";
            short16.embed(List.of(longText, "很好", longText + "服务周到"), meter);
            assertEquals(2, meter.truncated());
            assertEquals(16, short16.tokenCount(longText));
            // a cached text that had been cut is cut again in the next run, so it is counted again
            UsageMeter again = new UsageMeter();
            short16.embed(List.of(longText), again);
            assertEquals(1, again.truncated());
            assertEquals(0, again.snapshot(Duration.ZERO).calls());
        }
    }

    @Test
    void byDefaultATextsEmbeddingDoesNotDependOnTheTextsEmbeddedWithIt() {
        try (LocalEmbeddings e = LocalEmbeddings.open(
                "local:bge-small-zh", LocalOptions.builder().cacheSize(0).build())) {
            String text = "房间很干净，服务也很热情";
            float[] alone = e.embed(List.of(text))[0];
            float[] withOthers = e.embed(List.of("短", text, "这是一条长得多的评论，说的是早餐、位置、价格和前台的服务态度"))[1];
            assertArrayEquals(alone, withOthers);
        }
    }

    @Test
    void cacheServesRepeatsWithoutForwardPasses() {
        try (LocalEmbeddings cached = LocalEmbeddings.open(
                "local:bge-small-zh",
                LocalOptions.builder().cacheSize(3).batchSize(16).build())) {
            UsageMeter first = new UsageMeter();
            float[][] a = cached.embed(List.of("甲", "乙", "甲"), first);
            assertEquals(1, first.snapshot(Duration.ZERO).calls());
            assertEquals(2, cached.cachedCount(), "a repeat within a call is embedded once");
            assertArrayEquals(a[0], a[2]);
            assertNotSame(a[0], a[2]);
            UsageMeter second = new UsageMeter();
            float[][] b = cached.embed(List.of("乙", "甲"), second);
            assertEquals(0, second.snapshot(Duration.ZERO).calls());
            assertArrayEquals(a[1], b[0]);
            b[0][0] = 42f; // callers own their arrays: the cache must not change
            assertArrayEquals(a[1], cached.embed(List.of("乙"))[0]);
            cached.embed(List.of("丙", "丁"));
            assertEquals(3, cached.cachedCount(), "bounded");
            cached.clearCache();
            assertEquals(0, cached.cachedCount());
        }
    }

    @Test
    void closedModelRefusesWork() {
        LocalEmbeddings model = LocalEmbeddings.open("local:bge-small-zh");
        model.close();
        model.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.embed(List.of("你好")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void concurrentCallersGetTheSameVectors() throws Exception {
        List<String> texts = List.of("房间干净", "服务差", "早餐丰富", "隔音不好");
        float[][] expected = bge.embed(texts);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (LocalEmbeddings fresh = LocalEmbeddings.open(
                "local:bge-small-zh",
                LocalOptions.builder().cacheSize(0).parallelRuns(2).build())) {
            List<java.util.concurrent.Future<float[][]>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> fresh.embed(texts)));
            }
            for (var f : futures) {
                float[][] got = f.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertEquals(1.0, LocalEmbeddings.cosine(expected[i], got[i]), 1e-5);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void englishMiniLmUsesMeanPooling() {
        try (LocalEmbeddings minilm = LocalEmbeddings.open("local:all-minilm-l6-v2")) {
            assertEquals(384, minilm.dimension());
            float[][] v = minilm.embed(List.of(
                    "The hotel room was very clean", "Our room was spotless", "The stock market fell sharply today"));
            assertTrue(LocalEmbeddings.cosine(v[0], v[1]) > LocalEmbeddings.cosine(v[0], v[2]) + 0.2);
        }
    }
}
