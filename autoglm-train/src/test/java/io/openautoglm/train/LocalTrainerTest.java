package io.openautoglm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.train.internal.Checkpoint;
import io.openautoglm.train.internal.OnnxWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two short runs on a few dozen records: the loss falls, the folder serves, an interrupted run resumes. */
class LocalTrainerTest {
    private static final String[] GOOD = {"房间很干净", "服务热情周到", "早餐丰富好吃", "位置方便交通好", "床很舒服", "前台很友好"};
    private static final String[] BAD = {"隔壁太吵了", "价格偏贵不值", "卫生间有异味", "空调坏了没人修", "服务态度差", "床单不干净"};

    private static final TaskSpec TASK = TaskSpec.builder()
            .taskType(TaskType.TEXT_CLASSIFICATION)
            .labels("正面", "负面")
            .build();

    @TempDir
    Path dir;

    @Test
    void lowersTheLossAndWritesAFolderThatServesTheSameAnswers() throws Exception {
        Path out = dir.resolve("model");
        List<TrainingProgress> heard = new ArrayList<>();
        TrainingResult r = trainer(out, 2).listener(heard::add).build().train(TASK, reviews(0, 4), reviews(4, 1));

        assertEquals(2, r.epochs().size());
        assertTrue(r.epochs().get(1).loss() < r.epochs().get(0).loss(), r.epochs()::toString);
        assertEquals(2, heard.stream().filter(TrainingProgress::evaluated).count());
        assertEquals(2, heard.stream().filter(TrainingProgress::epochEnd).count());
        assertTrue(r.epochs().stream().allMatch(e -> e.completed() == 1.0), r.epochs()::toString);
        for (String f : List.of(
                "model.onnx",
                "tokenizer.json",
                "autoglm-head.json",
                "training-report.json",
                "MODEL_CARD.md",
                "curves.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("checkpoint")), "the checkpoint of a finished run is removed");
        // the int8 export: the tuned weights quantised into the shipped int8 graph, served on its own
        assertTrue(Files.isRegularFile(out.resolve("int8/model.onnx")));
        assertTrue(Files.size(out.resolve("int8/model.onnx")) < Files.size(out.resolve("model.onnx")) / 3);
        assertEquals(r.devMetric(), r.int8DevMetric(), 0.1, "int8 as served against float32 on dev");
        assertTrue(Files.readString(out.resolve("MODEL_CARD.md")).contains("int8 export"));
        assertTrue(Files.readString(out.resolve("training-report.json")).contains("servedDevMetric"));
        assertTrue(Files.readString(out.resolve("MODEL_CARD.md")).contains("seed 7"));
        assertTrue(
                Files.readString(out.resolve("MODEL_CARD.md")).contains("the head started from a linear probe"),
                "the card says how the head started");

        // the folder, served by the local engine on ONNX Runtime, scores dev as the trainer did on PyTorch
        Dataset dev = reviews(4, 1);
        try (TaskPipeline p =
                TaskPipeline.builder().task(TASK).model("local:" + out).build()) {
            PipelineResult result = p.run(dev);
            assertEquals(
                    r.devMetric(),
                    ((Metrics.ClassificationMetrics) result.metrics().orElseThrow()).accuracy(),
                    1e-9);
        }
        // the tuned weights are in the graph: changed from the base model's
        OnnxWeights tuned = OnnxWeights.read(out.resolve("model.onnx"));
        io.openautoglm.local.internal.ModelLocator.Located base = io.openautoglm.local.internal.ModelLocator.locate(
                "local:bge-small-zh-fp32", getClass().getClassLoader());
        try {
            float[] before = OnnxWeights.read(base.modelFile())
                    .get("encoder.layer.3.output.dense.bias")
                    .values();
            float[] after = tuned.get("encoder.layer.3.output.dense.bias").values();
            assertFalse(java.util.Arrays.equals(before, after), "training changed no weight of the last layer");
        } finally {
            base.release();
        }
    }

    @Test
    void resumesAnInterruptedRunAfterItsLastFinishedEpoch() throws Exception {
        Path out = dir.resolve("resumed");
        List<Double> firstLoss = new ArrayList<>();
        RuntimeException stop = assertThrows(
                RuntimeException.class,
                () -> trainer(out, 2)
                        .averageWeights(true)
                        .listener(p -> {
                            if (p.evaluated()) {
                                firstLoss.add(p.loss());
                                throw new IllegalStateException("stopped on purpose after epoch " + p.epoch());
                            }
                        })
                        .build()
                        .train(TASK, reviews(0, 4), reviews(4, 1)));
        assertTrue(stop.getMessage().contains("stopped on purpose after epoch 1"), stop.getMessage());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/state.json")));

        // another run's checkpoint is refused, naming what differs
        AutoGlmException other = assertThrows(
                AutoGlmException.class,
                () -> trainer(out, 2).averageWeights(true).seed(8).build().train(TASK, reviews(0, 4), reviews(4, 1)));
        assertTrue(
                other.getMessage().contains("settings") && other.getMessage().contains("seed 8"), other.getMessage());
        AutoGlmException frozen = assertThrows(
                AutoGlmException.class,
                () -> trainer(out, 2)
                        .averageWeights(true)
                        .trainWordEmbeddings(false)
                        .build()
                        .train(TASK, reviews(0, 4), reviews(4, 1)));
        assertTrue(frozen.getMessage().contains("word embeddings frozen"), frozen.getMessage());
        AutoGlmException unprobed = assertThrows(
                AutoGlmException.class,
                () -> trainer(out, 2)
                        .averageWeights(true)
                        .probe(false)
                        .build()
                        .train(TASK, reviews(0, 4), reviews(4, 1)));
        assertTrue(unprobed.getMessage().contains("without a linear probe"), unprobed.getMessage());
        AutoGlmException last = assertThrows(
                AutoGlmException.class, () -> trainer(out, 2).build().train(TASK, reviews(0, 4), reviews(4, 1)));
        assertTrue(last.getMessage().contains("weights averaged"), last.getMessage());

        // killed between removing the old checkpoint and moving the new one into place: the new one is found
        Files.move(out.resolve("checkpoint"), out.resolve("checkpoint.next"));

        List<TrainingProgress> second = new ArrayList<>();
        TrainingResult r = trainer(out, 2)
                .averageWeights(true)
                .listener(second::add)
                .build()
                .train(TASK, reviews(0, 4), reviews(4, 1));
        assertEquals(2, r.epochs().size());
        assertEquals(firstLoss.get(0), r.epochs().get(0).loss(), 0.0);
        assertTrue(second.stream().allMatch(p -> p.epoch() == 2), "only epoch 2 runs again");
        assertEquals(r.steps(), second.get(second.size() - 1).step());
        assertFalse(Files.exists(out.resolve("checkpoint.next")), "a finished run leaves no checkpoint behind");

        // the resumed run continued the average from the checkpoint: it writes what an uninterrupted run writes
        Path whole = dir.resolve("uninterrupted");
        trainer(whole, 2).averageWeights(true).int8(false).build().train(TASK, reviews(0, 4), reviews(4, 1));
        OnnxWeights resumed = OnnxWeights.read(out.resolve("model.onnx"));
        OnnxWeights uninterrupted = OnnxWeights.read(whole.resolve("model.onnx"));
        for (String w : List.of("encoder.layer.0.attention.self.query.weight", "encoder.layer.3.output.dense.bias")) {
            assertArrayEquals(uninterrupted.get(w).values(), resumed.get(w).values(), w);
        }
    }

    @Test
    void keepsTheWordTableOfTheBaseWhenAskedAndTrainsTheRest() throws Exception {
        Path out = dir.resolve("frozen");
        TrainingResult r = trainer(out, 1)
                .trainWordEmbeddings(false)
                .int8(false)
                .build()
                .train(TASK, reviews(0, 2), reviews(4, 1));
        assertEquals(1, r.epochs().size());
        OnnxWeights tuned = OnnxWeights.read(out.resolve("model.onnx"));
        io.openautoglm.local.internal.ModelLocator.Located base = io.openautoglm.local.internal.ModelLocator.locate(
                "local:bge-small-zh-fp32", getClass().getClassLoader());
        try {
            OnnxWeights before = OnnxWeights.read(base.modelFile());
            String words = "embeddings.word_embeddings.weight";
            assertTrue(
                    java.util.Arrays.equals(
                            before.get(words).values(), tuned.get(words).values()),
                    "the word table moved");
            for (String trained :
                    List.of("embeddings.position_embeddings.weight", "encoder.layer.0.attention.self.query.weight")) {
                assertFalse(
                        java.util.Arrays.equals(
                                before.get(trained).values(), tuned.get(trained).values()),
                        trained + " did not train");
            }
        } finally {
            base.release();
        }
        assertTrue(
                Files.readString(out.resolve("MODEL_CARD.md")).contains("the word-embedding table frozen"),
                "the card says what was frozen");
    }

    @Test
    void averagesTheWeightsWhenAskedWithoutChangingHowTheRunTrains() throws Exception {
        TrainingResult plain =
                trainer(dir.resolve("last"), 2).int8(false).build().train(TASK, reviews(0, 4), reviews(4, 1));
        // without dev every epoch is kept in turn: stopped after the last, the checkpoint holds the live weights,
        // the average, and the weights the run would write
        Path out = dir.resolve("averaged");
        List<Double> losses = new ArrayList<>();
        assertThrows(
                IllegalStateException.class,
                () -> trainer(out, 2)
                        .int8(false)
                        .averageWeights(true)
                        .listener(p -> {
                            if (p.epochEnd()) {
                                losses.add(p.loss());
                                if (p.epoch() == 2) {
                                    throw new IllegalStateException("stopped after the last epoch");
                                }
                            }
                        })
                        .build()
                        .train(TASK, reviews(0, 4), Dataset.of("no dev", List.of())));

        // the average is only read: the same steps, the same losses
        assertEquals(List.of(plain.epochs().get(0).loss(), plain.epochs().get(1).loss()), losses);
        Map<String, float[]> state = Checkpoint.read(out.resolve("checkpoint/state.bin"));
        Map<String, float[]> kept = Checkpoint.read(out.resolve("checkpoint/best.bin"));
        boolean moved = false;
        for (Map.Entry<String, float[]> w : kept.entrySet()) {
            assertArrayEquals(state.get("average." + w.getKey()), w.getValue(), w.getKey() + " is not the average");
            moved |= !Arrays.equals(state.get(w.getKey()), w.getValue());
        }
        assertTrue(moved, "the average equals the last step's weights");
        assertTrue(
                kept.containsKey("head.weight") && kept.keySet().stream().anyMatch(k -> k.startsWith("encoder.layer.")),
                kept.keySet()::toString);
    }

    @Test
    void namesTheRecordWhoseLabelIsUnknown() {
        Dataset bad = Dataset.of(
                "bad",
                List.of(TextRecord.builder()
                        .id("r1")
                        .text("还行")
                        .label("中性")
                        .source("bad.csv:2")
                        .build()));
        AutoGlmException e = assertThrows(
                AutoGlmException.class,
                () -> trainer(dir.resolve("x"), 1).build().train(TASK, bad, Dataset.of("dev", List.of())));
        assertTrue(e.getMessage().contains("bad.csv:2") && e.getMessage().contains("中性"), e.getMessage());
    }

    private static LocalTrainer.Builder trainer(Path out, int epochs) {
        return LocalTrainer.builder()
                .output(out)
                .epochs(epochs)
                .batchSize(8)
                .maxLength(24)
                .seed(7)
                .patience(2);
    }

    /** {@code rounds} × 12 labelled reviews, varied by a counter so that no two texts repeat. */
    private static Dataset reviews(int from, int rounds) {
        List<TextRecord> records = new ArrayList<>();
        for (int i = from; i < from + rounds; i++) {
            for (int k = 0; k < GOOD.length; k++) {
                records.add(TextRecord.of(GOOD[k] + "，第" + i + "次入住", "正面"));
                records.add(TextRecord.of(BAD[k] + "，第" + i + "次入住", "负面"));
            }
        }
        return Dataset.of("reviews-" + from, records);
    }
}
