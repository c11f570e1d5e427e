package io.openautoglm.benchmarks.local;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.ResultWriters;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Streams a generated CSV of 1,000,000 rows through {@link DataLoader} and a {@link TaskPipeline} with a
 * trivial in-process model, writing results to a JSONL file, and reports time and heap. Run it with a small
 * heap to show that memory does not grow with the input (except the pipeline's duplicate-id index, a few
 * dozen bytes per id; {@code --no-ids} leaves the ids out):
 *
 * <pre>
 * mvn -q compile dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt -pl benchmarks -am
 * java -Xmx256m -cp "benchmarks/target/classes:$(cat cp.txt)" \
 *     io.openautoglm.benchmarks.local.StreamingMemoryBenchmark [rows] [--no-ids]
 * </pre>
 *
 * <p>It first reads the file once through the loader alone, then runs the pipeline. One row in 10,000 is
 * malformed (a missing field) and the loader collects it, so the run also checks that every input row comes
 * back as a result or a failure.
 */
public final class StreamingMemoryBenchmark {
    private static final int BAD_EVERY = 10_000;
    private static final String[] GOOD = {"房间很干净", "服务热情周到", "早餐丰富", "位置方便，交通便利", "性价比高"};
    private static final String[] BAD = {"隔音差", "前台态度差", "卫生很差", "设施陈旧，体验差", "价格贵还差"};

    private StreamingMemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        boolean ids = true;
        for (String a : args) {
            if (a.equals("--no-ids")) {
                ids = false;
            } else {
                rows = Long.parseLong(a.replace("_", ""));
            }
        }
        HeapWatch heap = HeapWatch.start();
        Path dir = Files.createTempDirectory("autoglm-stream-bench");
        try {
            Path csv = dir.resolve("generated.csv");
            long t0 = System.nanoTime();
            long bad = generate(csv, rows, ids);
            double genSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "generated %,d rows (%,d malformed) in %.1f s: %s, %,d MB%n",
                    rows, bad, genSeconds, csv, Files.size(csv) >> 20);
            heap.reset();

            Columns columns = ids
                    ? Columns.builder()
                            .id("id")
                            .text("text")
                            .label("label")
                            .metadata("city")
                            .build()
                    : Columns.builder()
                            .text("text")
                            .label("label")
                            .metadata("city")
                            .build();
            Dataset dataset =
                    DataLoader.fromCsv(csv).onBadRecord(ErrorMode.COLLECT).load(columns);
            long t2 = System.nanoTime();
            long read = 0;
            try (RecordCursor cursor = dataset.open()) {
                while (cursor.hasNext()) {
                    cursor.next();
                    read++;
                }
            }
            double readSeconds = (System.nanoTime() - t2) / 1e9;
            Path out = dir.resolve("results.jsonl");
            KeywordModel model = new KeywordModel();
            long t1 = System.nanoTime();
            PipelineResult result;
            try (TaskPipeline pipeline = TaskPipeline.builder()
                            .taskType(TaskType.TEXT_CLASSIFICATION)
                            .model(model)
                            .labels("正面", "负面")
                            .build();
                    ResultWriters.Writer writer = ResultWriters.jsonl(out)) {
                result = pipeline.run(dataset, writer);
            }
            double runSeconds = (System.nanoTime() - t1) / 1e9;
            heap.stop();

            long total = result.succeeded() + result.failed();
            System.out.printf("rows in:            %,d (ids: %s)%n", rows, ids ? "yes" : "no");
            System.out.printf(
                    "succeeded + failed: %,d + %,d = %,d -> %s%n",
                    result.succeeded(),
                    result.failed(),
                    total,
                    total == rows && result.failed() == bad ? "every row accounted for" : "MISMATCH");
            System.out.printf(
                    "loader alone:       %,d records in %.1f s, %,.0f rows/s%n", read, readSeconds, rows / readSeconds);
            System.out.printf("loader + pipeline:  %.1f s, %,.0f rows/s%n", runSeconds, rows / runSeconds);
            System.out.printf(
                    "accuracy:           %s%n",
                    result.metrics()
                            .map(m -> m.toString().replaceAll("\\s+", " "))
                            .map(s -> s.length() > 120 ? s.substring(0, 120) + "…" : s)
                            .orElse("-"));
            System.out.printf("results file:       %,d MB%n", Files.size(out) >> 20);
            System.out.printf(
                    "max heap (-Xmx):    %,d MB%n", Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(
                    "peak heap used:     %,d MB (sampled every 10 ms, garbage included)%n", heap.peakUsed() >> 20);
            System.out.printf("peak live heap:     %,d MB (largest heap left after a GC)%n", heap.peakAfterGc() >> 20);
            System.out.printf("GCs:                %,d, %,d ms in total%n", heap.gcCount(), heap.gcMillis());
            if (total != rows) {
                System.exit(1);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Writes the CSV; returns how many rows were made malformed on purpose. */
    private static long generate(Path csv, long rows, boolean ids) throws IOException {
        Random random = new Random(42);
        long bad = 0;
        String[] cities = {"杭州", "上海", "北京", "广州", "成都"};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write(ids ? "id,text,label,city\n" : "text,label,city\n");
            for (long i = 1; i <= rows; i++) {
                boolean positive = random.nextBoolean();
                String[] pool = positive ? GOOD : BAD;
                StringBuilder text = new StringBuilder();
                int parts = 1 + random.nextInt(4);
                for (int p = 0; p < parts; p++) {
                    if (p > 0) {
                        text.append(random.nextInt(8) == 0 ? "\n" : "，");
                    }
                    text.append(pool[random.nextInt(pool.length)]);
                }
                text.append("。第").append(i).append("条评论");
                if (ids) {
                    w.write(Long.toString(i));
                    w.write(',');
                }
                // Quoted, because texts hold commas and line breaks, as real reviews do.
                w.write('"');
                w.write(text.toString());
                w.write('"');
                if (i % BAD_EVERY == 0) {
                    bad++;
                    w.write('\n');
                    continue;
                }
                w.write(',');
                w.write(positive ? "正面" : "负面");
                w.write(',');
                w.write(cities[random.nextInt(cities.length)]);
                w.write('\n');
            }
        }
        return bad;
    }

    /** Answers 负面 when the text says 差, else 正面: as cheap as a model can be, so the loader is measured. */
    private static final class KeywordModel implements Model {
        @Override
        public String name() {
            return "bench:keyword";
        }

        @Override
        public Predictor predictor(Task task) {
            return (batch, usage) -> batch.stream()
                    .map(r -> Outcome.success(
                            new Prediction.Classification(r.text().contains("差") ? "负面" : "正面", 1.0, Map.of())))
                    .toList();
        }

        @Override
        public void close() {}
    }

    /** Samples heap use and listens to GCs for the heap left after each. */
    private static final class HeapWatch {
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final AtomicLong gcs = new AtomicLong();
        private final AtomicLong gcMillis = new AtomicLong();
        private volatile boolean running = true;
        private final Thread sampler;

        private HeapWatch() {
            sampler = new Thread(
                    () -> {
                        while (running) {
                            peakUsed.accumulateAndGet(
                                    ManagementFactory.getMemoryMXBean()
                                            .getHeapMemoryUsage()
                                            .getUsed(),
                                    Math::max);
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "heap-sampler");
            sampler.setDaemon(true);
        }

        static HeapWatch start() {
            HeapWatch w = new HeapWatch();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc)
                        .addNotificationListener(
                                (n, handback) -> {
                                    if (!n.getType()
                                            .equals(
                                                    GarbageCollectionNotificationInfo
                                                            .GARBAGE_COLLECTION_NOTIFICATION)) {
                                        return;
                                    }
                                    GarbageCollectionNotificationInfo info =
                                            GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                                    long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                            .filter(u -> u != null)
                                            .mapToLong(MemoryUsage::getUsed)
                                            .sum();
                                    // Non-heap pools (metaspace, code cache) are in this map too; take only the heap
                                    // pools.
                                    long heapAfter = 0;
                                    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                                        if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                                            MemoryUsage u = info.getGcInfo()
                                                    .getMemoryUsageAfterGc()
                                                    .get(pool.getName());
                                            if (u != null) {
                                                heapAfter += u.getUsed();
                                            }
                                        }
                                    }
                                    w.peakAfterGc.accumulateAndGet(heapAfter > 0 ? heapAfter : after, Math::max);
                                    w.gcs.incrementAndGet();
                                    w.gcMillis.addAndGet(info.getGcInfo().getDuration());
                                },
                                null,
                                null);
            }
            w.sampler.start();
            return w;
        }

        void reset() {
            peakUsed.set(0);
            peakAfterGc.set(0);
            gcs.set(0);
            gcMillis.set(0);
        }

        void stop() {
            running = false;
            peakUsed.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        }

        long peakUsed() {
            return peakUsed.get();
        }

        long peakAfterGc() {
            return peakAfterGc.get();
        }

        long gcCount() {
            return gcs.get();
        }

        long gcMillis() {
            return gcMillis.get();
        }
    }
}
