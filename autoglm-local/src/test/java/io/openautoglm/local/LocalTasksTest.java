package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.local.internal.MatchingPredictor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalTasksTest {
    private static LocalModel model;

    @BeforeAll
    static void open() {
        model = LocalModel.open("local:bge-small-zh", LocalOptions.DEFAULTS);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<TextRecord> reviews() {
        return List.of(
                TextRecord.of("房间非常干净，服务热情周到，下次还会再来", "正面"),
                TextRecord.of("酒店位置很好，早餐丰富，总体非常满意", "正面"),
                TextRecord.of("前台态度恶劣，房间又脏又吵，非常失望", "负面"),
                TextRecord.of("设施陈旧，隔音很差，再也不会入住了", "负面"));
    }

    @Test
    void zeroShotGetsObviousSentimentRight() {
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .build());
        Predictor p = model.predictor(task);
        List<Outcome> out = p.predict(reviews(), new UsageMeter());
        assertEquals(4, out.size());
        for (int i = 0; i < out.size(); i++) {
            Prediction.Classification c =
                    assertInstanceOf(Prediction.Classification.class, out.get(i).prediction());
            assertEquals(reviews().get(i).label(), c.label(), "record " + i);
            assertEquals(
                    1.0,
                    c.scores().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum(),
                    1e-9);
            assertEquals(c.scores().get(c.label()), c.score(), 1e-12);
        }
    }

    @Test
    void fewShotHeadLearnsFromExamples() {
        List<TextRecord> examples = new ArrayList<>();
        String[] good = {"干净整洁", "服务很好", "早餐丰富", "位置方便", "床很舒服", "性价比高", "员工热情", "环境安静"};
        String[] bad = {"又脏又乱", "服务很差", "早餐难吃", "位置偏僻", "床很硬", "价格太贵", "员工冷漠", "噪音很大"};
        for (int i = 0; i < good.length; i++) {
            examples.add(TextRecord.of("这家酒店" + good[i], "好评"));
            examples.add(TextRecord.of("这家酒店" + bad[i], "差评"));
        }
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("好评", "差评")
                .examples(Dataset.of("train", examples))
                .build());
        Predictor p = model.predictor(task);
        List<Outcome> out = p.predict(
                List.of(TextRecord.of("房间打扫得一尘不染，服务员很热情"), TextRecord.of("房间里有霉味，服务员爱理不理")), new UsageMeter());
        assertEquals("好评", ((Prediction.Classification) out.get(0).prediction()).label());
        assertEquals("差评", ((Prediction.Classification) out.get(1).prediction()).label());
    }

    @Test
    void badExampleIsNamed() {
        List<TextRecord> examples = new ArrayList<>(reviews());
        examples.add(TextRecord.builder()
                .text("还行吧")
                .label("中性")
                .source("train.csv:6")
                .build());
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .examples(Dataset.of("train", examples))
                .build());
        DataException e = assertThrows(DataException.class, () -> model.predictor(task));
        assertTrue(e.getMessage().contains("train.csv:6") && e.getMessage().contains("中性"), e.getMessage());

        List<TextRecord> unlabelled = new ArrayList<>(reviews());
        unlabelled.add(1, TextRecord.of("没有标签"));
        Task task2 = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .examples(Dataset.of("mine", unlabelled))
                .build());
        DataException e2 = assertThrows(DataException.class, () -> model.predictor(task2));
        assertTrue(
                e2.getMessage().contains("mine (example 2)") && e2.getMessage().contains("no gold label"),
                e2.getMessage());
    }

    @Test
    void matchingCalibratesOnExamplesAndHonoursAGivenThreshold() {
        List<TextRecord> pairs = List.of(
                TextRecord.pair("花呗怎么还款", "花呗如何还钱", "1"),
                TextRecord.pair("借呗额度怎么提高", "如何提升借呗的额度", "1"),
                TextRecord.pair("花呗怎么还款", "今天天气怎么样", "0"),
                TextRecord.pair("借呗额度怎么提高", "我想买一台新电脑", "0"));
        Task calibrated = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .examples(Dataset.of("pairs", pairs))
                .build());
        Predictor p = model.predictor(calibrated);
        List<Outcome> out = p.predict(pairs, new UsageMeter());
        for (int i = 0; i < pairs.size(); i++) {
            Prediction.Match m = (Prediction.Match) out.get(i).prediction();
            assertEquals(pairs.get(i).label().equals("1"), m.matched(), "pair " + i);
            assertEquals(m.matched(), m.score() >= 0.5, "score and decision agree");
            assertTrue(m.score() >= 0 && m.score() <= 1);
        }
        Task strict = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("threshold", "0.9999")
                .examples(Dataset.of("pairs", pairs))
                .build());
        List<Outcome> none = model.predictor(strict).predict(pairs, new UsageMeter());
        assertTrue(none.stream().noneMatch(o -> ((Prediction.Match) o.prediction()).matched()));
        Task bad = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("calibrate", "recall")
                .build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predictor(bad));
        assertEquals(
                "task option calibrate: expected one of accuracy, acc, f1",
                e.getMessage(),
                "names the key, not the value");
    }

    @Test
    void matchingHeadTrainsOnPairFeatures() {
        List<TextRecord> pairs = new ArrayList<>();
        String[][] same = {
            {"花呗怎么还款", "花呗如何还钱"}, {"借呗额度怎么提高", "如何提升借呗的额度"}, {"花呗可以分期吗", "花呗能不能分期付款"}, {"怎么关闭花呗", "花呗如何关掉"}
        };
        String[][] different = {
            {"花呗怎么还款", "借呗怎么还款"}, {"借呗额度怎么提高", "花呗额度怎么提高"}, {"花呗可以分期吗", "花呗可以提现吗"}, {"怎么关闭花呗", "怎么开通花呗"}
        };
        for (int i = 0; i < same.length; i++) {
            pairs.add(TextRecord.pair(same[i][0], same[i][1], "1"));
            pairs.add(TextRecord.pair(different[i][0], different[i][1], "0"));
        }
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("method", "head")
                .examples(Dataset.of("pairs", pairs))
                .build());
        List<Outcome> out = model.predictor(task).predict(pairs, new UsageMeter());
        int correct = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Prediction.Match m = (Prediction.Match) out.get(i).prediction();
            correct += m.matched() == pairs.get(i).label().equals("1") ? 1 : 0;
            assertEquals(m.matched(), m.score() >= 0.5);
        }
        assertTrue(correct >= 7, "fits its own training pairs: " + correct + "/8");

        Task noExamples = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("method", "head")
                .build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predictor(noExamples));
        assertTrue(e.getMessage().contains("method=head"), e.getMessage());
        Task badMethod = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("method", "bm25")
                .build());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> model.predictor(badMethod));
        assertEquals(
                "task option method: expected one of threshold, head", e2.getMessage(), "names the key, not the value");
    }

    @Test
    void aMatchingHeadIsTrainedOncePerPairsAndSettings() {
        List<TextRecord> pairs = List.of(
                TextRecord.pair("花呗怎么还款", "花呗如何还钱", "1"),
                TextRecord.pair("借呗怎么开通", "借呗如何开通", "1"),
                TextRecord.pair("花呗怎么还款", "借呗怎么开通", "0"),
                TextRecord.pair("余额宝收益", "花呗额度", "0"));
        TaskSpec.Builder head = TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("method", "head")
                .examples(Dataset.of("pairs", pairs));
        MatchingPredictor.Heads heads = new MatchingPredictor.Heads(4);
        Task low = Task.of(head.option("threshold", "0.3").build());
        List<Outcome> shared = new MatchingPredictor(model.embeddings(), low, heads).predict(pairs, new UsageMeter());
        new MatchingPredictor(
                model.embeddings(), Task.of(head.option("threshold", "0.7").build()), heads);
        assertEquals(1, heads.size(), "another threshold reuses the head");
        new MatchingPredictor(model.embeddings(), Task.of(head.option("l2", "1").build()), heads);
        assertEquals(2, heads.size(), "another l2 trains another head");
        new MatchingPredictor(
                model.embeddings(),
                Task.of(head.option("learningRate", "0.001")
                        .option("batchSize", "2")
                        .build()),
                heads);
        assertEquals(3, heads.size(), "so do another learning rate and batch size");
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> new MatchingPredictor(
                        model.embeddings(),
                        Task.of(head.option("learningRate", "0").build()),
                        heads));
        assertTrue(bad.getMessage().contains("learningRate"), bad.getMessage());
        List<Outcome> alone = new MatchingPredictor(model.embeddings(), low).predict(pairs, new UsageMeter());
        for (int i = 0; i < pairs.size(); i++) {
            assertEquals(alone.get(i).prediction(), shared.get(i).prediction(), "same head, same predictions");
        }
    }

    @Test
    void matchingWithoutExamplesUsesTheDefaultThreshold() {
        Task task =
                Task.of(TaskSpec.builder().taskType(TaskType.SEMANTIC_MATCHING).build());
        Outcome same = model.predictor(task)
                .predict(List.of(TextRecord.pair("花呗怎么还款", "花呗怎么还款", null)), new UsageMeter())
                .get(0);
        Prediction.Match m = (Prediction.Match) same.prediction();
        assertTrue(m.matched());
        assertEquals(1.0, m.score(), 1e-4);
        Outcome different = model.predictor(task)
                .predict(List.of(TextRecord.pair("花呗怎么还款", "酒店早餐很好吃", null)), new UsageMeter())
                .get(0);
        assertFalse(((Prediction.Match) different.prediction()).matched());
    }
}
