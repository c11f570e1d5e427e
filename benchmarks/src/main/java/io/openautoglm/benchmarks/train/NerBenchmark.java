package io.openautoglm.benchmarks.train;

import io.openautoglm.benchmarks.local.LocalBenchData;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.data.Columns;
import io.openautoglm.data.DataLoader;
import io.openautoglm.train.LocalTrainer;
import io.openautoglm.train.TrainingResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Fine-tunes a CRF tagger on CLUENER2020's training split (its last 1,000 sentences held out as dev, to select on),
 * and scores the official dev split (1,343 sentences, used as test since the official test labels are hidden)
 * through the written folder on ONNX Runtime, as a user would serve it: entity micro-F1 and per-type F1.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
 *     -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.train.NerBenchmark [epochs=3] [maxMinutes=60] [out=target/cluener-model] [lr=5e-5]
 * </pre>
 */
public final class NerBenchmark {
    private static final int HELD_OUT = 1000;

    private NerBenchmark() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 60;
        Path out = Path.of(args.length > 2 ? args[2] : "target/cluener-model");
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 5e-5;
        System.out.println("machine: " + LocalBenchData.machine());
        List<TextRecord> all = cluener("train").toList();
        TreeSet<String> types = new TreeSet<>();
        all.forEach(r -> r.entities().stream().map(Entity::type).forEach(types::add));
        TaskSpec task = TaskSpec.builder()
                .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                .entityTypes(List.copyOf(types))
                .build();
        Dataset train = Dataset.of(
                "cluener train (first " + (all.size() - HELD_OUT) + ")", all.subList(0, all.size() - HELD_OUT));
        Dataset dev =
                Dataset.of("cluener train (last " + HELD_OUT + ")", all.subList(all.size() - HELD_OUT, all.size()));
        System.out.printf(
                Locale.ROOT, "types %s; train %d, dev %d sentences%n", types, all.size() - HELD_OUT, HELD_OUT);
        TrainingResult r = LocalTrainer.builder()
                .output(out)
                .epochs(epochs)
                .learningRate(rate)
                .maxTime(Duration.ofMillis(Math.round(minutes * 60_000)))
                .listener(Progress.printer())
                .build()
                .train(task, train, dev);
        Progress.trained(r);
        for (Path folder : List.of(r.folder(), r.folder().resolve("int8"))) {
            try (TaskPipeline p =
                    TaskPipeline.builder().task(task).model("local:" + folder).build()) {
                long started = System.nanoTime();
                Metrics.EntityMetrics m =
                        (Metrics.EntityMetrics) p.run(cluener("dev")).metrics().orElseThrow();
                Progress.entities(
                        String.format(
                                Locale.ROOT,
                                "%s: test (official dev, served on ONNX Runtime in %.0f s)",
                                folder.endsWith("int8") ? "int8 export" : "float32",
                                (System.nanoTime() - started) / 1e9),
                        m);
            }
        }
        System.out.println("machine after: " + LocalBenchData.machine());
    }

    private static Dataset cluener(String split) {
        return DataLoader.fromJsonl(LocalBenchData.nlp().resolve("cluener2020").resolve(split + ".jsonl"))
                .load(Columns.builder().text("text").entities("entities").build());
    }
}
