package io.openautoglm.local;

import io.openautoglm.core.Models;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.spi.Model;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.core.testing.JavadocSamples;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local engine's Javadoc samples, compiled here and checked against the Javadoc (see {@link JavadocSamples}). */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/local/JavadocSamplesTest.java");

    @SuppressWarnings("unused")
    private static void logisticRegressionHeadSample(float[][] x, int[] y) {
        // sample: LogisticRegressionHead
        LogisticRegressionHead head =
                LogisticRegressionHead.trainer().l2(1e-2).seed(7).train(x, y, 2);
        double[] p = head.probabilities(x[0]); // one probability per class, summing to 1
        // end sample
    }

    @SuppressWarnings("unused")
    private static void thresholdCalibratorSample(double[] similarities, boolean[] isMatch, double similarity) {
        // sample: ThresholdCalibrator
        ThresholdCalibrator.Calibration c =
                ThresholdCalibrator.calibrate(similarities, isMatch, ThresholdCalibrator.Objective.ACCURACY);
        boolean match = similarity >= c.threshold();
        // end sample
    }

    @SuppressWarnings("unused") // compiled, not run: the samples below load the local model
    private static void localOptionsSample(TaskSpec spec) {
        // sample: LocalOptions
        LocalOptions options =
                LocalOptions.builder().maxTokens(128).cacheSize(0).build();
        try (LocalEmbeddings embeddings = LocalEmbeddings.open("local:bge-small-zh", options)) {
            float[][] v = embeddings.embed(List.of("房间很干净"));
        }
        // the same through the SPI:
        try (Model model = Models.open("local:bge-small-zh", Map.of("maxTokens", "128", "cacheSize", "0"))) {
            Predictor p = model.predictor(Task.of(spec));
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void localEmbeddingsSample() {
        // sample: LocalEmbeddings
        try (LocalEmbeddings bge = LocalEmbeddings.open("local:bge-small-zh")) {
            float[][] v = bge.embed(List.of("房间很干净", "服务很差"));
            double similarity = LocalEmbeddings.cosine(v[0], v[1]);
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void localModelProviderSample(TaskSpec spec) {
        // sample: LocalModelProvider
        try (Model model = Models.open("local:bge-small-zh", Map.of("maxTokens", "128"))) {
            Predictor p = model.predictor(Task.of(spec));
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void localModelSample(TaskSpec spec) {
        // sample: LocalModel
        try (Model model = Models.open("local:bge-small-zh")) {
            Predictor p = model.predictor(Task.of(spec));
            LocalEmbeddings raw = ((LocalModel) model).embeddings(); // the vectors themselves
        }
        // end sample
    }

    @Test
    void localClassesShowTheCompiledSamples() {
        for (String name : List.of(
                "LogisticRegressionHead",
                "ThresholdCalibrator",
                "LocalOptions",
                "LocalEmbeddings",
                "LocalModelProvider",
                "LocalModel")) {
            JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/local/" + name + ".java"), HERE, name);
        }
    }
}
