package io.openautoglm.benchmarks.train;

import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.train.LocalTrainer;
import io.openautoglm.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training speed of {@link LocalTrainer} in tokens per second, on batches of texts of exactly {@code length} tokens
 * (random CJK characters, one token each with [CLS] and [SEP]), for comparison with PyTorch eager in Python on the same
 * model, batch and length ({@code docs/scripts/bert_train_speed.py}). Two epochs of {@code steps} steps each, no dev
 * set; the second epoch's rate is the one reported (the first warms PyTorch's allocator up).
 *
 * <pre>
 * java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
 *     -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.train.TrainSpeedBenchmark [batch=16] [length=128] [steps=30]
 * </pre>
 */
public final class TrainSpeedBenchmark {
    private TrainSpeedBenchmark() {}

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int length = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        System.out.println("machine: " + LocalBenchData.machine());
        Random random = new Random(42);
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < batch * steps; i++) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < length - 2; c++) {
                text.append((char) (0x4E00 + random.nextInt(0x5000)));
            }
            records.add(TextRecord.of(text.toString(), i % 2 == 0 ? "a" : "b"));
        }
        TaskSpec task = TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .build();
        Path out = Files.createTempDirectory("train-speed-");
        TrainingResult r = LocalTrainer.builder()
                .output(out)
                .epochs(2)
                .batchSize(batch)
                .maxLength(length)
                .int8(false)
                .build()
                .train(task, Dataset.of("synthetic", records), Dataset.of("none", List.of()));
        var second = r.epochs().get(1);
        System.out.printf(
                Locale.ROOT,
                "autoglm-train (DJL PyTorch): batch %d x %d tokens, %d steps in %.1f s: %.0f tokens/s (load %.2f)%n",
                batch,
                length,
                steps,
                second.seconds(),
                second.tokensPerSecond(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        try (var files = Files.walk(out)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
