package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.internal.chart.ProgressChart;
import io.openautoglm.local.internal.ModelLocator;
import io.openautoglm.train.TrainingResult.EpochReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a tuned model as a folder that the local engine serves on ONNX Runtime alone. */
public final class ModelFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The head file the local engine reads beside {@code model.onnx}. */
    public static final String HEAD_FILE = "autoglm-head.json";

    /**
     * What the model card says about the run.
     *
     * @param preparation what was set up before training (a matcher's seeded token type 1, how a classifier's head
     *     started: fitted to the frozen base or at random), or {@code null}
     */
    public record Card(
            String baseModel,
            String preparation,
            String trainName,
            int trainSize,
            String devName,
            int devSize,
            long seed,
            int epochs,
            int batchSize,
            float learningRate,
            int maxLength,
            boolean wordEmbeddingsTrained,
            boolean weightsAveraged,
            double seconds,
            String data,
            String versions) {}

    private ModelFolder() {}

    /** The int8 export's sub-folder: a whole model folder of its own, served as {@code local:DIR/int8}. */
    public static final String INT8 = "int8";

    /** Writes what serving needs: {@code model.onnx} (the base graph with the tuned weights), the tokenizer, the head. */
    public static void writeModel(
            Path dir,
            ModelLocator.Located base,
            OnnxWeights weights,
            BertEncoder encoder,
            TaskHead head,
            TaskSpec task,
            int maxLength)
            throws IOException {
        weights.write(tuned(encoder), dir.resolve("model.onnx"));
        Files.copy(base.tokenizerFile(), dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        Map<String, Object> headJson = new LinkedHashMap<>();
        headJson.put("format", 1);
        headJson.put("task", task.type().name().toLowerCase(java.util.Locale.ROOT));
        headJson.put("maxLength", maxLength);
        headJson.putAll(head.served());
        atomically(dir.resolve(HEAD_FILE), JSON.writeValueAsBytes(headJson));
    }

    /**
     * Writes the int8 export into {@link #INT8}: the tuned weights quantised into {@code int8} (the base model's
     * quantised graph), with the folder's tokenizer and head, a model folder of its own.
     */
    public static void writeInt8(Path dir, OnnxWeights int8, BertEncoder encoder) throws IOException {
        Map<String, float[]> tuned = tuned(encoder);
        for (String name : tuned.keySet()) {
            if (!int8.holds(name)) {
                throw new IOException("the int8 graph has no place for the weight " + name);
            }
        }
        Path q = Files.createDirectories(dir.resolve(INT8));
        int8.write(tuned, q.resolve("model.onnx"));
        Files.copy(dir.resolve("tokenizer.json"), q.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve(HEAD_FILE), q.resolve(HEAD_FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes an int8 export, so that no export of an earlier run stays beside this run's model. */
    public static void deleteInt8(Path dir) throws IOException {
        Path q = dir.resolve(INT8);
        if (Files.isDirectory(q)) {
            try (java.util.stream.Stream<Path> files = Files.walk(q)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static Map<String, float[]> tuned(BertEncoder encoder) {
        Map<String, float[]> tuned = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : encoder.parameters().entrySet()) {
            tuned.put(p.getKey(), p.getValue().toFloatArray());
        }
        return tuned;
    }

    /**
     * Writes the report, the model card and the curves, and removes the checkpoint: the run is done.
     *
     * @param asServed the float32 and int8 dev metrics as the local engine serves the folder and its int8 export, or
     *                 {@code null} without an export
     */
    public static void writeReport(
            Path dir, TaskHead head, TaskSpec task, FineTuning.Outcome outcome, Card card, double[] asServed)
            throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("bestEpoch", outcome.bestEpoch());
        report.put("metric", head.metric());
        report.put("devMetric", outcome.bestDev());
        if (!Double.isNaN(head.threshold())) {
            report.put("threshold", head.threshold());
        }
        report.put("servedDevMetric", asServed == null ? null : asServed[0]);
        report.put("int8DevMetric", asServed == null ? null : asServed[1]);
        report.put("steps", outcome.steps());
        report.put("stoppedEarly", outcome.stoppedEarly());
        report.put("skippedBatches", outcome.skipped());
        report.put("epochs", outcome.history());
        report.put("card", card);
        atomically(dir.resolve("training-report.json"), JSON.writeValueAsBytes(report));
        atomically(
                dir.resolve("MODEL_CARD.md"),
                card(task, head, outcome, card, asServed).getBytes(StandardCharsets.UTF_8));
        chart(dir.resolve("curves.png"), outcome.history(), head.metric());
        RunState.deleteAll(dir.resolve("checkpoint"));
    }

    private static String card(TaskSpec task, TaskHead head, FineTuning.Outcome outcome, Card c, double[] asServed) {
        StringBuilder s = new StringBuilder();
        s.append("# Model card\n\n");
        s.append("- Task: ")
                .append(task.type().name().toLowerCase(java.util.Locale.ROOT))
                .append(
                        task.type() == io.openautoglm.core.TaskType.NAMED_ENTITY_RECOGNITION
                                ? ", entity types " + task.entityTypes()
                                : head.pairs() != null ? ", " + head.pairs() : ", classes " + task.labelNames())
                .append('\n');
        s.append("- Base model: ")
                .append(c.baseModel())
                .append(
                        c.wordEmbeddingsTrained()
                                ? ", fine-tuned whole (encoder and head)"
                                : ", fine-tuned (encoder and head, the word-embedding table frozen)")
                .append(c.preparation() == null ? "" : "; " + c.preparation())
                .append(
                        c.weightsAveraged()
                                ? "; the weights are a moving average of the trained ones, their mean age half an"
                                        + " epoch of steps"
                                : "")
                .append('\n');
        s.append("- Data: train ")
                .append(c.trainName())
                .append(" (")
                .append(c.trainSize())
                .append(" records), dev ")
                .append(c.devName())
                .append(" (")
                .append(c.devSize())
                .append(" records); digests: ")
                .append(c.data())
                .append('\n');
        s.append("- Settings: ")
                .append(c.epochs())
                .append(" epochs at most, batch ")
                .append(c.batchSize())
                .append(", learning rate ")
                .append(c.learningRate())
                .append(", max length ")
                .append(c.maxLength())
                .append(", seed ")
                .append(c.seed())
                .append('\n');
        s.append("- Result: best epoch ")
                .append(outcome.bestEpoch())
                .append(", dev ")
                .append(head.metric())
                .append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.4f", outcome.bestDev()))
                .append(outcome.stoppedEarly() ? " (stopped early)" : "")
                .append(outcome.skipped() > 0 ? ", " + outcome.skipped() + " batches skipped (loss not finite)" : "")
                .append('\n');
        if (!Double.isNaN(head.threshold())) {
            s.append(String.format(
                    java.util.Locale.ROOT,
                    "- Decision: " + head.decision() + ", the threshold best for dev (served with the float32 model"
                            + " and its int8 export; the task option `threshold` overrides it)%n",
                    head.threshold()));
        }
        if (asServed != null) {
            s.append(String.format(
                    java.util.Locale.ROOT,
                    "- As served on ONNX Runtime (dev, %s): float32 %.4f, int8 export (`%s/`) %.4f%n",
                    task.type() == io.openautoglm.core.TaskType.NAMED_ENTITY_RECOGNITION
                            ? "entity micro-F1 by characters"
                            : "accuracy",
                    asServed[0],
                    INT8,
                    asServed[1]));
        }
        s.append("- Time: ")
                .append(String.format(java.util.Locale.ROOT, "%.0f s", c.seconds()))
                .append(", written ")
                .append(Instant.now())
                .append('\n');
        s.append("- Software: ").append(c.versions()).append("\n\n");
        s.append("| epoch | share run | train loss | dev " + head.metric() + " | seconds | tokens/s |\n"
                + "| --- | --- | --- | --- | --- | --- |\n");
        for (EpochReport e : outcome.history()) {
            s.append(String.format(
                    java.util.Locale.ROOT,
                    "| %d | %.0f%% | %.4f | %.4f | %.0f | %.0f |%n",
                    e.epoch(),
                    e.completed() * 100,
                    e.loss(),
                    e.devMetric(),
                    e.seconds(),
                    e.tokensPerSecond()));
        }
        return s.toString();
    }

    private static void chart(Path file, List<EpochReport> history, String metric) {
        double[] x = history.stream().mapToDouble(EpochReport::epoch).toArray();
        try {
            ProgressChart.of("fine-tuning", "epoch", "loss / dev " + metric)
                    .line(
                            "train loss",
                            x,
                            history.stream().mapToDouble(EpochReport::loss).toArray())
                    .line(
                            "dev " + metric,
                            x,
                            history.stream().mapToDouble(EpochReport::devMetric).toArray())
                    .write(file, "autoglm-train");
        } catch (io.openautoglm.core.AutoGlmException e) {
            LOG.info("No curves.png: {}", e.getMessage()); // XChart is optional; the report has the numbers
        }
    }

    private static void atomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
