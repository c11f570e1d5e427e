package io.openautoglm.benchmarks.local;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Label;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextNormalizer;
import io.openautoglm.core.TextRecord;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.local.LocalModel;
import io.openautoglm.local.LocalOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * ChnSentiCorp accuracy of the local engine through {@link TaskPipeline}: zero-shot with the plain labels
 * 正面/负面, with the prompt template as an instruction prefix, with richer label wording; few-shot with the
 * training split as labelled examples (logistic-regression head, L2 chosen on dev, reported on test); and a
 * nearest-centroid baseline on the same embeddings. One model after the other, each with a cache large
 * enough that every split is embedded once.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" \
 *     io.openautoglm.benchmarks.local.LocalAccuracyBenchmark [--zero-shot-only] [local:bge-small-zh local:bge-small-zh-fp32]
 * </pre>
 */
public final class LocalAccuracyBenchmark {
    private static final String TEMPLATE = "判断以下用户反馈的情感倾向:{text}";
    private static final double[] L2_GRID = {1e-3, 1e-2, 1e-1, 1.0};
    private static final TextNormalizer NO_NFKC =
            TextNormalizer.builder().nfkc(false).build();

    private LocalAccuracyBenchmark() {}

    public static void main(String[] args) {
        boolean zeroShotOnly = List.of(args).contains("--zero-shot-only");
        List<String> named =
                List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
        List<String> models = !named.isEmpty() ? named : List.of("local:bge-small-zh", "local:bge-small-zh-fp32");
        Dataset train = LocalBenchData.chnSentiCorp("train");
        Dataset dev = LocalBenchData.chnSentiCorp("dev");
        Dataset test = LocalBenchData.chnSentiCorp("test");
        System.out.println("LocalAccuracyBenchmark: ChnSentiCorp train/dev/test; " + LocalBenchData.machine());
        List<String> rows = new ArrayList<>();
        for (String name : models) {
            long start = System.nanoTime();
            try (LocalModel model = LocalModel.open(
                    name, LocalOptions.builder().cacheSize(20_000).build())) {
                Consumer<String> row = s -> {
                    rows.add("| " + name + " | " + s + " |");
                    System.out.println(rows.get(rows.size() - 1));
                };
                row.accept("zero-shot, labels 正面/负面 | test | "
                        + metrics(run(model, test, null, false, null, Label.of("正面"), Label.of("负面"))));
                row.accept("zero-shot, labels 正面/负面, normaliser without NFKC (full-width punctuation kept) | test | "
                        + metrics(run(model, test, null, false, null, NO_NFKC, Label.of("正面"), Label.of("负面"))));
                if (zeroShotOnly) {
                    continue;
                }
                row.accept("zero-shot, template as instruction prefix | test | "
                        + metrics(run(model, test, null, true, null, Label.of("正面"), Label.of("负面"))));
                row.accept("zero-shot, labels worded 正面评价/负面评价 | test | "
                        + metrics(run(model, test, null, false, null, Label.of("正面", "正面评价"), Label.of("负面", "负面评价"))));
                double bestL2 = L2_GRID[0];
                double bestDev = -1;
                for (double l2 : L2_GRID) {
                    Metrics.ClassificationMetrics m = run(model, dev, train, false, l2, Label.of("正面"), Label.of("负面"));
                    row.accept("few-shot head, train as examples, l2=" + l2 + " | dev | " + metrics(m));
                    if (m.accuracy() > bestDev) {
                        bestDev = m.accuracy();
                        bestL2 = l2;
                    }
                }
                row.accept("few-shot head, train as examples, l2=" + bestL2 + " (best on dev) | test | "
                        + metrics(run(model, test, train, false, bestL2, Label.of("正面"), Label.of("负面"))));
                row.accept("few-shot head, default l2 | test | "
                        + metrics(run(model, test, train, false, null, Label.of("正面"), Label.of("负面"))));
                row.accept("nearest centroid of train embeddings | test | "
                        + String.format("accuracy %.4f", centroids(model.embeddings(), train, test)));
            }
            System.out.printf("%s done in %.0f s%n", name, (System.nanoTime() - start) / 1e9);
        }
        System.out.println();
        System.out.println("| model | method | split | result |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static Metrics.ClassificationMetrics run(
            LocalModel model, Dataset data, Dataset examples, boolean template, Double l2, Label... labels) {
        return run(model, data, examples, template, l2, TextNormalizer.defaults(), labels);
    }

    private static Metrics.ClassificationMetrics run(
            LocalModel model,
            Dataset data,
            Dataset examples,
            boolean template,
            Double l2,
            TextNormalizer normalizer,
            Label... labels) {
        TaskPipeline.Builder b = TaskPipeline.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .model(model)
                .normalizer(normalizer)
                .labels(labels)
                .promptTemplate(TEMPLATE)
                .examples(examples)
                .batchSize(64)
                .concurrency(1);
        if (template) {
            b.option("useTemplate", "true");
        }
        if (l2 != null) {
            b.option("l2", Double.toString(l2));
        }
        try (TaskPipeline pipeline = b.build()) {
            PipelineResult result = pipeline.run(data);
            if (result.failed() > 0) {
                throw new IllegalStateException(result.failed() + " records failed: "
                        + result.failures().get(0));
            }
            return (Metrics.ClassificationMetrics) result.metrics().orElseThrow();
        }
    }

    private static String metrics(Metrics.ClassificationMetrics m) {
        return String.format("accuracy %.4f, macro-F1 %.4f (n=%d)", m.accuracy(), m.macroF1(), m.evaluated());
    }

    /** Nearest class mean of the unit vectors (cosine), the baseline the trained head must beat. */
    private static double centroids(LocalEmbeddings embeddings, Dataset train, Dataset test) {
        TextNormalizer normalizer = TextNormalizer.defaults();
        List<TextRecord> tr = train.toList();
        List<String> labels = List.of("正面", "负面");
        float[][] x = embeddings.embed(
                tr.stream().map(r -> normalizer.normalize(r).text()).toList());
        double[][] centre = new double[2][x[0].length];
        for (int i = 0; i < x.length; i++) {
            int k = labels.indexOf(tr.get(i).label());
            for (int j = 0; j < x[i].length; j++) {
                centre[k][j] += x[i][j];
            }
        }
        float[][] c = new float[2][x[0].length];
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < c[k].length; j++) {
                c[k][j] = (float) centre[k][j];
            }
        }
        List<TextRecord> te = test.toList();
        float[][] y = embeddings.embed(
                te.stream().map(r -> normalizer.normalize(r).text()).toList());
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            int p = LocalEmbeddings.cosine(y[i], c[0]) >= LocalEmbeddings.cosine(y[i], c[1]) ? 0 : 1;
            correct += labels.get(p).equals(te.get(i).label()) ? 1 : 0;
        }
        return (double) correct / y.length;
    }
}
