package io.openautoglm.benchmarks.local;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15.BgeSmallZhV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.local.LocalModel;
import io.openautoglm.local.LocalOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot classification throughput on the ChnSentiCorp test texts (776): the local engine against
 * LangChain4j's own {@code embedAll} on the same model files, in alternating runs within one JVM.
 *
 * <p>Five contenders per round, in this order: local int8 (defaults: single-threaded passes, sub-batches side
 * by side), local int8 with one pass at a time on ONNX Runtime's own intra-op threads ({@code threads=0,
 * parallelRuns=1}), LangChain4j int8
 * ({@link BgeSmallZhV15QuantizedEmbeddingModel}), local float32, LangChain4j float32
 * ({@link BgeSmallZhV15EmbeddingModel}). Both sides classify by cosine similarity to the embeddings of the
 * plain labels 正面/负面, computed before timing. The local engine runs with its cache off. Prints every
 * run, the median texts/s per contender and the per-round speed-up ratios.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.local.LocalThroughputBenchmark [rounds=3]
 * </pre>
 */
public final class LocalThroughputBenchmark {
    private static final List<String> LABELS = List.of("正面", "负面");

    private LocalThroughputBenchmark() {}

    /** One contender: classifies all texts, returns the predicted label indices. */
    private interface Contender {
        int[] classify(List<TextRecord> records);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<TextRecord> test = LocalBenchData.chnSentiCorp("test").toList();
        System.out.println("LocalThroughputBenchmark: ChnSentiCorp test, " + test.size() + " texts, " + rounds
                + " rounds; " + LocalBenchData.machine());
        LocalOptions options = LocalOptions.builder().cacheSize(0).build();
        System.out.println("local options: " + options);
        Map<String, Contender> contenders = new LinkedHashMap<>();
        try (LocalModel q = LocalModel.open("local:bge-small-zh", options);
                LocalModel qs = LocalModel.open(
                        "local:bge-small-zh",
                        options.toBuilder().threads(0).parallelRuns(1).build());
                LocalModel f = LocalModel.open("local:bge-small-zh-fp32", options)) {
            contenders.put("local int8", local(q));
            contenders.put("local int8 ORT threads", local(qs));
            contenders.put("langchain4j int8", langchain4j(new BgeSmallZhV15QuantizedEmbeddingModel()));
            contenders.put("local fp32", local(f));
            contenders.put("langchain4j fp32", langchain4j(new BgeSmallZhV15EmbeddingModel()));
            List<TextRecord> warm = test.subList(0, 32);
            contenders.values().forEach(c -> c.classify(warm));

            Map<String, List<Double>> speeds = new LinkedHashMap<>();
            Map<String, Double> accuracy = new LinkedHashMap<>();
            List<double[]> ratios = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Map<String, Double> round = new LinkedHashMap<>();
                for (Map.Entry<String, Contender> c : contenders.entrySet()) {
                    long start = System.nanoTime();
                    int[] predicted = c.getValue().classify(test);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double perSecond = test.size() / seconds;
                    int correct = 0;
                    for (int i = 0; i < test.size(); i++) {
                        correct += LABELS.get(predicted[i]).equals(test.get(i).label()) ? 1 : 0;
                    }
                    double acc = (double) correct / test.size();
                    accuracy.put(c.getKey(), acc);
                    round.put(c.getKey(), perSecond);
                    speeds.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(perSecond);
                    System.out.printf(
                            "round %d  %-24s %7.2f s  %7.1f texts/s  accuracy %.4f  (load %.2f)%n",
                            r,
                            c.getKey(),
                            seconds,
                            perSecond,
                            acc,
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                    .getSystemLoadAverage());
                }
                double[] ratio = {
                    round.get("local int8") / round.get("langchain4j int8"),
                    round.get("local int8") / round.get("langchain4j fp32"),
                    round.get("local fp32") / round.get("langchain4j fp32")
                };
                ratios.add(ratio);
                System.out.printf(
                        "round %d  ratios: local int8 / lc4j int8 %.2fx, local int8 / lc4j fp32 %.2fx, "
                                + "local fp32 / lc4j fp32 %.2fx%n",
                        r, ratio[0], ratio[1], ratio[2]);
            }
            System.out.println();
            System.out.println("| contender | median texts/s | runs (texts/s) | accuracy |");
            System.out.println("|---|---|---|---|");
            speeds.forEach((k, v) -> System.out.printf(
                    "| %s | %.1f | %s | %.4f |%n",
                    k, median(v), v.stream().map(x -> String.format("%.1f", x)).toList(), accuracy.get(k)));
            String[] names = {
                "local int8 / langchain4j int8", "local int8 / langchain4j fp32", "local fp32 / langchain4j fp32"
            };
            for (int i = 0; i < names.length; i++) {
                final int k = i;
                List<Double> rs = ratios.stream().map(x -> x[k]).toList();
                System.out.printf(
                        "%s: median %.2fx, per round %s%n",
                        names[i],
                        median(rs),
                        rs.stream().map(x -> String.format("%.2f", x)).toList());
            }
        }
    }

    private static Contender local(LocalModel model) {
        Predictor predictor = model.predictor(Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels(LABELS.toArray(String[]::new))
                .build()));
        return records -> {
            UsageMeter usage = new UsageMeter();
            List<Outcome> out = predictor.predict(records, usage);
            int[] predicted = new int[out.size()];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] =
                        LABELS.indexOf(((Prediction.Classification) out.get(i).prediction()).label());
            }
            return predicted;
        };
    }

    private static Contender langchain4j(EmbeddingModel model) {
        List<float[]> labels = model
                .embedAll(LABELS.stream().map(TextSegment::from).toList())
                .content()
                .stream()
                .map(Embedding::vector)
                .toList();
        return records -> {
            List<Embedding> vectors = model.embedAll(records.stream()
                            .map(r -> TextSegment.from(r.text()))
                            .toList())
                    .content();
            int[] predicted = new int[vectors.size()];
            for (int i = 0; i < predicted.length; i++) {
                float[] v = vectors.get(i).vector();
                double best = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < labels.size(); k++) {
                    double s = LocalEmbeddings.cosine(v, labels.get(k));
                    if (s > best) {
                        best = s;
                        predicted[i] = k;
                    }
                }
            }
            return predicted;
        };
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
