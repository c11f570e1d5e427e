package io.openautoglm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.train.internal.OnnxWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cross-encoder trained on a few dozen question pairs, served by the local engine from its folder. */
class MatchingTrainingTest {
    /** Two wordings of each question; a pair matches when both are about the same question. */
    private static final String[][] QUESTIONS = {
        {"怎么开通花呗", "花呗如何开通"},
        {"借呗怎么关闭", "如何关掉借呗"},
        {"花呗可以提前还款吗", "花呗能提前还吗"},
        {"借呗额度怎么提高", "如何提升借呗额度"},
        {"花呗逾期会怎样", "花呗晚还了有什么后果"},
        {"余额宝怎么转出", "余额宝的钱如何取出"},
        {"信用卡怎么还花呗", "花呗能用信用卡还吗"},
        {"借呗利息怎么算", "借呗的利率是多少"},
    };

    private static final TaskSpec TASK =
            TaskSpec.builder().taskType(TaskType.SEMANTIC_MATCHING).build();

    @TempDir
    Path dir;

    @Test
    void learnsPairsAndTheFolderServesThemAsACrossEncoder() throws IOException {
        Path out = dir.resolve("matcher");
        Dataset dev = pairs(6, 8);
        TrainingResult r = LocalTrainer.builder()
                .output(out)
                .epochs(3)
                .batchSize(8)
                .learningRate(1e-4)
                .maxLength(32)
                .seed(5)
                .patience(3)
                .build()
                .train(TASK, pairs(0, 6), dev);
        assertEquals("accuracy", r.metric());
        assertTrue(r.epochs().get(2).loss() < r.epochs().get(0).loss(), r.epochs()::toString);
        // bge never trained token type 1: the run started it from token type 0 and serves what it trained
        float[] types = tokenTypes(out.resolve("model.onnx"));
        assertTrue(norm(types, 1) > 0.9 * norm(types, 0), () -> norm(types, 1) + " against " + norm(types, 0));
        assertTrue(
                Files.readString(out.resolve("MODEL_CARD.md")).contains("token type 1 (a pair's second text) started"),
                "the model card says so");

        try (TaskPipeline p =
                TaskPipeline.builder().task(TASK).model("local:" + out).build()) {
            var result = p.run(dev);
            Metrics.MatchingMetrics m =
                    (Metrics.MatchingMetrics) result.metrics().orElseThrow();
            // dev was scored at the threshold chosen on it, and the folder serves that threshold with the kept weights
            assertEquals(r.devMetric(), m.accuracy(), 1e-9);
            double threshold = new ObjectMapper()
                    .readTree(out.resolve("autoglm-head.json").toFile())
                    .path("threshold")
                    .asDouble(Double.NaN);
            assertTrue(threshold > 0 && threshold < 1, () -> "threshold " + threshold);
            for (var record : result.results()) {
                Prediction.Match match = (Prediction.Match) record.prediction();
                assertEquals(match.score() >= threshold, match.matched(), "the score is the probability of a match");
            }
        }
        // the task's own threshold still decides
        assertTheOptionDecides(out, dev, "0");
    }

    @Test
    void aBiEncoderLearnsPairsAndTheFolderServesThemByCosine() throws IOException {
        Path out = dir.resolve("bi-encoder");
        Dataset dev = pairs(6, 8);
        TrainingResult r = trainer(out)
                .epochs(3)
                .patience(3)
                .int8(true)
                .biEncoder(true)
                .build()
                .train(TASK, pairs(0, 6), dev);
        assertTrue(r.epochs().get(2).loss() < r.epochs().get(0).loss(), r.epochs()::toString);
        JsonNode head =
                new ObjectMapper().readTree(out.resolve("autoglm-head.json").toFile());
        assertEquals("threshold", head.path("method").asText(), head::toString);
        assertFalse(head.has("weights"), "nothing but the threshold on top of the encoder");
        double threshold = head.path("threshold").asDouble(Double.NaN);
        assertTrue(threshold > -1 && threshold < 1, () -> "threshold " + threshold);
        // each text is read alone, as token type 0: the base's token type 1 is left as it was
        float[] types = tokenTypes(out.resolve("model.onnx"));
        assertTrue(norm(types, 1) < 0.5 * norm(types, 0), () -> norm(types, 1) + " against " + norm(types, 0));
        assertTrue(
                Files.readString(out.resolve("MODEL_CARD.md")).contains("cosine similarity of its two texts' vectors"),
                "the model card says how a pair is decided");
        assertTrue(Files.readString(out.resolve("MODEL_CARD.md")).contains("- Task: semantic_matching, a bi-encoder"));
        try (TaskPipeline p =
                TaskPipeline.builder().task(TASK).model("local:" + out).build()) {
            var result = p.run(dev);
            Metrics.MatchingMetrics m =
                    (Metrics.MatchingMetrics) result.metrics().orElseThrow();
            // dev was scored at the threshold chosen on it, and the folder serves it with the kept weights
            assertEquals(r.devMetric(), m.accuracy(), 1e-9);
            List<TextRecord> pairs = dev.toList();
            try (LocalEmbeddings vectors = LocalEmbeddings.open("local:" + out)) {
                for (int i = 0; i < pairs.size(); i++) {
                    float[][] v = vectors.embed(
                            List.of(pairs.get(i).text(), pairs.get(i).textB()));
                    double cosine = LocalEmbeddings.cosine(v[0], v[1]);
                    Prediction.Match match =
                            (Prediction.Match) result.results().get(i).prediction();
                    // the tuned vectors' cosine decides at the tuned threshold (the score puts it at 0.5)
                    assertEquals(cosine >= threshold, match.matched(), () -> "cosine " + cosine);
                    assertEquals(match.score() >= 0.5, match.matched());
                }
            }
        }
        // labelled pairs in the task do not replace the tuned threshold; the task option does
        TaskSpec withExamples = TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .examples(Dataset.of("examples", pairs(0, 1).toList().subList(0, 2)))
                .build();
        try (TaskPipeline p =
                TaskPipeline.builder().task(withExamples).model("local:" + out).build()) {
            var m = (Metrics.MatchingMetrics) p.run(dev).metrics().orElseThrow();
            assertEquals(r.devMetric(), m.accuracy(), 1e-9);
        }
        assertTheOptionDecides(out, dev, "-1");
        // the int8 export was served on dev at that threshold
        JsonNode report =
                new ObjectMapper().readTree(out.resolve("training-report.json").toFile());
        assertTrue(report.path("int8DevMetric").isNumber(), report::toString);

        // a cross-encoder can go on from the bi-encoder's folder: its int8 export goes through the folder's own int8/
        Path cross = dir.resolve("cross-encoder");
        trainer(cross).epochs(1).int8(true).baseModel("local:" + out).build().train(TASK, pairs(0, 6), dev);
        assertTrue(Files.readString(cross.resolve("MODEL_CARD.md")).contains("- Base model: local:" + out));
        JsonNode crossReport = new ObjectMapper()
                .readTree(cross.resolve("training-report.json").toFile());
        assertTrue(crossReport.path("int8DevMetric").isNumber(), crossReport::toString);
        // and no run writes over the folder it starts from
        AutoGlmException over = assertThrows(
                AutoGlmException.class,
                () -> trainer(out).baseModel("local:" + out).build().train(TASK, pairs(0, 6), dev));
        assertTrue(over.getMessage().contains("base model's own folder"), over.getMessage());
    }

    @Test
    void aRunResumedAfterItsLastEpochStillServesItsThreshold() throws IOException {
        // with averaged weights: dev scores the last step's weights too, and the threshold kept must be the average's
        Path out = dir.resolve("resumed");
        Dataset dev = pairs(6, 8);
        assertThrows(
                IllegalStateException.class,
                () -> trainer(out)
                        .averageWeights(true)
                        .listener(p -> {
                            if (p.evaluated() && p.epoch() == 2) {
                                throw new IllegalStateException("stopped after the last epoch");
                            }
                        })
                        .build()
                        .train(TASK, pairs(0, 6), dev));
        // nothing is left to train: the kept epoch is scored again so the threshold is chosen for its weights
        TrainingResult r = trainer(out).averageWeights(true).build().train(TASK, pairs(0, 6), dev);
        JsonNode head =
                new ObjectMapper().readTree(out.resolve("autoglm-head.json").toFile());
        assertTrue(head.path("threshold").isNumber(), head::toString);
        try (TaskPipeline p =
                TaskPipeline.builder().task(TASK).model("local:" + out).build()) {
            Metrics.MatchingMetrics m =
                    (Metrics.MatchingMetrics) p.run(dev).metrics().orElseThrow();
            assertEquals(r.devMetric(), m.accuracy(), 1e-9);
        }
    }

    /** With the task option {@code threshold} at its lowest, every pair of {@code dev} matches. */
    private static void assertTheOptionDecides(Path folder, Dataset dev, String lowest) {
        TaskSpec always = TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("threshold", lowest)
                .build();
        try (TaskPipeline p =
                TaskPipeline.builder().task(always).model("local:" + folder).build()) {
            assertTrue(p.run(dev).results().stream().allMatch(x -> ((Prediction.Match) x.prediction()).matched()));
        }
    }

    private static LocalTrainer.Builder trainer(Path out) {
        return LocalTrainer.builder()
                .output(out)
                .epochs(2)
                .batchSize(8)
                .learningRate(1e-4)
                .maxLength(32)
                .seed(5)
                .patience(2)
                .int8(false);
    }

    private static float[] tokenTypes(Path onnx) {
        try {
            return OnnxWeights.read(onnx)
                    .get("embeddings.token_type_embeddings.weight")
                    .values();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The L2 norm of one row of a two-row table. */
    private static double norm(float[] table, int row) {
        int width = table.length / 2;
        double sum = 0;
        for (int i = row * width; i < (row + 1) * width; i++) {
            sum += table[i] * (double) table[i];
        }
        return Math.sqrt(sum);
    }

    @Test
    void aPairWithoutItsSecondTextOrDecisionIsNamed() {
        Dataset bad = Dataset.of(
                "bad",
                List.of(TextRecord.builder()
                        .text("怎么开通花呗")
                        .textB("花呗如何开通")
                        .label("maybe")
                        .source("pairs.csv:7")
                        .build()));
        AutoGlmException e = assertThrows(
                AutoGlmException.class,
                () -> LocalTrainer.builder()
                        .output(dir.resolve("x"))
                        .build()
                        .train(TASK, bad, Dataset.of("dev", List.of())));
        assertTrue(e.getMessage().contains("pairs.csv:7") && e.getMessage().contains("maybe"), e.getMessage());
    }

    /** For rounds {@code from}..{@code to}: each question with its other wording (1) and with another question (0). */
    private static Dataset pairs(int from, int to) {
        List<TextRecord> records = new ArrayList<>();
        for (int round = from; round < to; round++) {
            for (int q = 0; q < QUESTIONS.length; q++) {
                if ((q + round) % 3 != 0) {
                    continue;
                }
                String[] a = QUESTIONS[q];
                String[] other = QUESTIONS[(q + 1 + round) % QUESTIONS.length];
                records.add(TextRecord.pair(a[round % 2], a[1 - round % 2], "1"));
                records.add(TextRecord.pair(a[round % 2], other[q % 2], "0"));
            }
        }
        return Dataset.of("pairs-" + from, records);
    }
}
