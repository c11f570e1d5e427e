package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Predictor;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cut-text counts, one-class matching heads, useTemplate without a template, task option errors and long seeds. */
class LocalTaskOptionsTest {
    private static LocalModel model;

    @BeforeAll
    static void open() {
        model = LocalModel.open(
                "local:bge-small-zh", LocalOptions.builder().maxTokens(16).build());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static final String LONG = "这家酒店的房间非常干净，服务员态度热情，早餐品种丰富，位置也很方便，下次还会再来入住。";

    @Test
    void aLongTextTwiceInOneBatchCountsTwice() {
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .build());
        Predictor p = model.predictor(task);
        List<TextRecord> batch = List.of(TextRecord.of(LONG), TextRecord.of(LONG));
        UsageMeter first = new UsageMeter();
        p.predict(batch, first);
        UsageMeter second = new UsageMeter();
        p.predict(batch, second); // now served from the cache
        assertEquals(second.truncated(), first.truncated(), "the same batch counts its cut texts the same way");
        assertEquals(2, first.truncated());
    }

    @Test
    void identicalLongPairCountsTwoCutTexts() {
        Task task =
                Task.of(TaskSpec.builder().taskType(TaskType.SEMANTIC_MATCHING).build());
        UsageMeter u = new UsageMeter();
        model.predictor(task).predict(List.of(TextRecord.pair(LONG + "甲", LONG + "甲", null)), u);
        assertEquals(2, u.truncated());
    }

    @Test
    void matchingHeadWithOnlyOneClassOfPairs() {
        List<TextRecord> pairs =
                List.of(TextRecord.pair("花呗怎么还款", "花呗如何还钱", "1"), TextRecord.pair("借呗怎么开通", "借呗如何开通", "1"));
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("method", "head")
                .examples(Dataset.of("pairs", pairs))
                .build());
        assertThrows(DataException.class, () -> model.predictor(task));
    }

    @Test
    void useTemplateWithoutATemplate() {
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .option("useTemplate", "true")
                .build());
        assertThrows(IllegalArgumentException.class, () -> model.predictor(task));
    }

    @Test
    void taskBooleansAreTrueOrFalseOnly() {
        for (String other : List.of("yes", "1", "on")) {
            Task task = Task.of(TaskSpec.builder()
                    .taskType(TaskType.TEXT_CLASSIFICATION)
                    .labels("正面", "负面")
                    .promptTemplate("评论:{text}")
                    .option("useTemplate", other)
                    .build());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predictor(task));
            assertEquals("task option useTemplate: expected true or false", e.getMessage());
        }
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .promptTemplate("评论:{text}")
                .option("useTemplate", "TRUE")
                .build());
        assertEquals(
                1,
                model.predictor(task)
                        .predict(List.of(TextRecord.of("很好")), new UsageMeter())
                        .size());
    }

    @Test
    void badTaskNumbersNameTheKeyNotTheValue() {
        Task threshold = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("threshold", "sk-SECRET-123")
                .build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predictor(threshold));
        assertEquals("task option threshold: expected a finite number between -1 and 1", e.getMessage());
        Task temperature = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .option("temperature", "0")
                .build());
        e = assertThrows(IllegalArgumentException.class, () -> model.predictor(temperature));
        assertEquals("task option temperature: expected a finite number above 0", e.getMessage());
        Task prior = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .examples(Dataset.of("ex", List.of(TextRecord.of("很好", "正面"), TextRecord.of("很差", "负面"))))
                .option("priorStrength", "-0.5")
                .build());
        e = assertThrows(IllegalArgumentException.class, () -> model.predictor(prior));
        assertTrue(
                e.getMessage().startsWith("task option priorStrength: expected a finite number")
                        && !e.getMessage().contains("-0.5"),
                e.getMessage());
    }

    @Test
    void longSeed() {
        List<TextRecord> ex = List.of(TextRecord.of("很好", "正面"), TextRecord.of("很差", "负面"));
        Task task = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .examples(Dataset.of("ex", ex))
                .option("seed", "4294967297")
                .build());
        assertEquals(2, model.predictor(task).predict(ex, new UsageMeter()).size(), "a seed past the int range");
    }
}
