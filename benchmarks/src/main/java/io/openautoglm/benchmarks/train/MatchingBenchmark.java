package io.openautoglm.benchmarks.train;

import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.train.LocalTrainer;
import io.openautoglm.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Fine-tunes a cross-encoder (or a bi-encoder) on AFQMC's training split (its last 2,000 pairs held out as dev, to
 * select on), and scores AFQMC's dev split (2,000 pairs; the official test labels are hidden) through the written
 * folder on ONNX Runtime: accuracy and positive-class F1.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
 *     -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.train.MatchingBenchmark [epochs=3] [maxMinutes=60] [out=target/afqmc-model] [lr=5e-5] \
 *     [patience=1] [weights=last|averaged] [pairs=cross|bi] [batch=16] [base=local:bge-small-zh-fp32]
 * </pre>
 *
 * <p>{@code averaged} keeps the moving average of the weights ({@code averageWeights(true)}); {@code bi} fine-tunes a
 * bi-encoder ({@code biEncoder(true)}); {@code base} may name a folder an earlier run wrote, to go on from its weights
 * (a cross-encoder from a bi-encoder, say).
 */
public final class MatchingBenchmark {
    private static final int HELD_OUT = 2000;

    private MatchingBenchmark() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 60;
        Path out = Path.of(args.length > 2 ? args[2] : "target/afqmc-model");
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 5e-5;
        int patience = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        boolean averaged = args.length > 5 && Progress.averaged(args[5]);
        boolean bi = args.length > 6
                && switch (args[6]) {
                    case "bi" -> true;
                    case "cross" -> false;
                    default -> throw new IllegalArgumentException("pairs: cross or bi, not " + args[6]);
                };
        System.out.println("machine: " + LocalBenchData.machine());
        TaskSpec task = TaskSpec.builder().taskType(TaskType.SEMANTIC_MATCHING).build();
        List<TextRecord> all = LocalBenchData.afqmc("train").toList();
        int cut = all.size() - HELD_OUT;
        LocalTrainer.Builder trainer = LocalTrainer.builder();
        if (args.length > 7) {
            trainer.batchSize(Integer.parseInt(args[7]));
        }
        if (args.length > 8) {
            trainer.baseModel(args[8]);
        }
        TrainingResult r = trainer.output(out)
                .epochs(epochs)
                .learningRate(rate)
                .patience(patience)
                .averageWeights(averaged)
                .biEncoder(bi)
                .maxTime(Duration.ofMillis(Math.round(minutes * 60_000)))
                .listener(Progress.printer())
                .build()
                .train(
                        task,
                        Dataset.of("afqmc train (first " + cut + ")", all.subList(0, cut)),
                        Dataset.of("afqmc train (last " + HELD_OUT + ")", all.subList(cut, all.size())));
        Progress.trained(r);
        for (Path folder : List.of(r.folder(), r.folder().resolve("int8"))) {
            if (!Files.isDirectory(folder)) {
                continue; // no int8 export: the base had no int8 graph to take the weights
            }
            try (TaskPipeline p =
                    TaskPipeline.builder().task(task).model("local:" + folder).build()) {
                System.out.println(folder.endsWith("int8") ? "int8 export:" : "float32:");
                Metrics.MatchingMetrics m = (Metrics.MatchingMetrics)
                        p.run(LocalBenchData.afqmc("dev")).metrics().orElseThrow();
                System.out.printf(
                        Locale.ROOT,
                        "test (AFQMC dev, %d pairs, served on ONNX Runtime): accuracy %.4f, positive F1 %.4f "
                                + "(P %.4f, R %.4f)%n",
                        m.evaluated(),
                        m.accuracy(),
                        m.positive().f1(),
                        m.positive().precision(),
                        m.positive().recall());
            }
        }
        System.out.println("machine after: " + LocalBenchData.machine());
    }
}
