package io.openautoglm.benchmarks.train;

import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.train.LocalTrainer;
import io.openautoglm.train.TrainingResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Fine-tunes bge-small-zh on the ChnSentiCorp_htl training split, selects on dev, and scores the test split through
 * the written folder on ONNX Runtime, as a user would serve it.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.train.FineTuneBenchmark [epochs=3] [maxMinutes=30] [out=target/chnsenticorp-model] \
 *     [lr=5e-5] [words=trained|frozen] [weights=last|averaged] [seed=42]
 * </pre>
 *
 * <p>{@code frozen} keeps the word-embedding table as the base model has it ({@code trainWordEmbeddings(false)});
 * {@code averaged} keeps the moving average of the weights ({@code averageWeights(true)}).
 */
public final class FineTuneBenchmark {
    private FineTuneBenchmark() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 30;
        Path out = Path.of(args.length > 2 ? args[2] : "target/chnsenticorp-model");
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 5e-5;
        boolean words = args.length <= 4
                || switch (args[4]) {
                    case "trained" -> true;
                    case "frozen" -> false;
                    default -> throw new IllegalArgumentException("words: expected trained or frozen, got " + args[4]);
                };
        boolean averaged = args.length > 5 && Progress.averaged(args[5]);
        long seed = args.length > 6 ? Long.parseLong(args[6]) : 42;
        System.out.println("machine: " + LocalBenchData.machine());
        TaskSpec task = TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .build();
        TrainingResult r = LocalTrainer.builder()
                .output(out)
                .epochs(epochs)
                .learningRate(rate)
                .trainWordEmbeddings(words)
                .averageWeights(averaged)
                .seed(seed)
                .maxTime(Duration.ofMillis(Math.round(minutes * 60_000)))
                .listener(Progress.printer())
                .build()
                .train(task, LocalBenchData.chnSentiCorp("train"), LocalBenchData.chnSentiCorp("dev"));
        Progress.trained(r);
        for (String folder :
                List.of(r.folder().toString(), r.folder().resolve("int8").toString())) {
            try (TaskPipeline p =
                    TaskPipeline.builder().task(task).model("local:" + folder).build()) {
                PipelineResult test = p.run(LocalBenchData.chnSentiCorp("test"));
                Metrics.ClassificationMetrics m =
                        (Metrics.ClassificationMetrics) test.metrics().orElseThrow();
                System.out.printf(
                        Locale.ROOT,
                        "test (776 texts, %s served on ONNX Runtime): accuracy %.4f, macro-F1 %.4f%n",
                        folder.endsWith("int8") ? "int8 export" : "float32",
                        m.accuracy(),
                        m.macroF1());
            }
        }
        System.out.println("machine after: " + LocalBenchData.machine());
    }
}
