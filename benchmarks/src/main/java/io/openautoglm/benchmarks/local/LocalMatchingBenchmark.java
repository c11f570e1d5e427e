package io.openautoglm.benchmarks.local;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.local.LocalModel;
import io.openautoglm.local.LocalOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * AFQMC dev accuracy and F1 (label 1) of local matching through {@link TaskPipeline}: the default threshold,
 * thresholds on cosine similarity calibrated on the training pairs for accuracy and for F1, and the trained
 * pair-feature head ({@code method=head}) with its probability threshold calibrated likewise. The majority-class baseline is
 * printed beside them. The training pairs may be subsampled (seeded) to save time.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.local.LocalMatchingBenchmark [model=local:bge-small-zh] [trainPairs=20000] [seed=7]
 * </pre>
 */
public final class LocalMatchingBenchmark {
    private LocalMatchingBenchmark() {}

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "local:bge-small-zh";
        int trainPairs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7L;
        List<TextRecord> allTrain = LocalBenchData.afqmc("train").toList();
        List<TextRecord> trainSample = LocalBenchData.sample(allTrain, trainPairs, seed);
        Dataset train = Dataset.of(
                "afqmc train (" + trainSample.size() + " of " + allTrain.size() + " pairs, seed " + seed + ")",
                trainSample);
        Dataset dev = LocalBenchData.afqmc("dev");
        List<TextRecord> devList = dev.toList();
        long devPositive = devList.stream().filter(r -> r.label().equals("1")).count();
        System.out.println("LocalMatchingBenchmark: " + name + ", calibration on " + train.name() + ", evaluation on "
                + "afqmc dev (" + devList.size() + " pairs); " + LocalBenchData.machine());
        List<String> rows = new ArrayList<>();
        rows.add(String.format(
                "| majority class (always 0) | %.4f | 0.0000 | - |",
                (double) (devList.size() - devPositive) / devList.size()));
        long start = System.nanoTime();
        try (LocalModel model =
                LocalModel.open(name, LocalOptions.builder().cacheSize(50_000).build())) {
            rows.add(row("default threshold, no examples", run(model, dev, null, null)));
            System.out.println(rows.get(rows.size() - 1));
            rows.add(row("threshold calibrated on train for accuracy", run(model, dev, train, "accuracy")));
            System.out.println(rows.get(rows.size() - 1));
            rows.add(row("threshold calibrated on train for F1 (calibrate=f1)", run(model, dev, train, "f1")));
            System.out.println(rows.get(rows.size() - 1));
            rows.add(row(
                    "method=head: pair-feature head trained on train, threshold for accuracy",
                    run(model, dev, train, "accuracy", "head")));
            System.out.println(rows.get(rows.size() - 1));
            rows.add(row(
                    "method=head: pair-feature head trained on train, threshold for F1",
                    run(model, dev, train, "f1", "head")));
            System.out.println(rows.get(rows.size() - 1));
        }
        System.out.printf("done in %.0f s%n%n", (System.nanoTime() - start) / 1e9);
        System.out.println("| " + name + " on AFQMC dev | accuracy | F1 (label 1) | precision / recall (label 1) |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static Metrics.MatchingMetrics run(LocalModel model, Dataset dev, Dataset examples, String calibrate) {
        return run(model, dev, examples, calibrate, null);
    }

    private static Metrics.MatchingMetrics run(
            LocalModel model, Dataset dev, Dataset examples, String calibrate, String method) {
        TaskPipeline.Builder b = TaskPipeline.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .model(model)
                .examples(examples)
                .batchSize(64)
                .concurrency(1);
        if (calibrate != null) {
            b.option("calibrate", calibrate);
        }
        if (method != null) {
            b.option("method", method);
        }
        try (TaskPipeline pipeline = b.build()) {
            PipelineResult result = pipeline.run(dev);
            if (result.failed() > 0) {
                throw new IllegalStateException(result.failed() + " records failed: "
                        + result.failures().get(0));
            }
            return (Metrics.MatchingMetrics) result.metrics().orElseThrow();
        }
    }

    private static String row(String method, Metrics.MatchingMetrics m) {
        return String.format(
                "| %s | %.4f | %.4f | %.4f / %.4f |",
                method,
                m.accuracy(),
                m.positive().f1(),
                m.positive().precision(),
                m.positive().recall());
    }
}
