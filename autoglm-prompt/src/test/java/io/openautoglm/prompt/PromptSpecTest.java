package io.openautoglm.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Label;
import io.openautoglm.core.PipelineResult;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.PipelineSpecException;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskPipeline;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptSpecTest {

    static PromptSpec sample() {
        return PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .instruction(PromptTemplate.builder("对{product}评论分类：{text}\n{examples}\n只输出标签")
                        .field("product")
                        .build())
                .label("正面", "满意，很好")
                .label("负面", "失望")
                .demonstrations(List.of(
                        TextRecord.builder()
                                .id("d1")
                                .text("很好")
                                .label("正面")
                                .metadata(Map.of("product", "酒店"))
                                .build(),
                        TextRecord.of("太差 {x}", "负面")))
                .option("temperature", "0")
                .build();
    }

    @Test
    void wrapsACoreTaskSpec() {
        TaskSpec core = sample().task();
        assertEquals(TaskType.TEXT_CLASSIFICATION, core.type());
        assertEquals(List.of(Label.of("正面", "满意，很好"), Label.of("负面", "失望")), core.labels());
        assertEquals(2, core.examples().toList().size());
        assertEquals("0", core.options().get("temperature"));
        assertEquals(
                "对{product}评论分类：{text}\n{examples}\n只输出标签",
                core.promptTemplate().source());
        assertEquals(List.of("product"), core.promptTemplate().fields());
        String prompt = Task.of(core)
                .renderPrompt(TextRecord.builder()
                        .text("干净")
                        .metadata(Map.of("product", "酒店"))
                        .build());
        assertTrue(prompt.startsWith("对酒店评论分类：干净\n文本：很好\n答案：正面"), prompt);
        assertTrue(prompt.contains("太差 {x}"), prompt);
        assertTrue(prompt.contains("\n只输出标签"), prompt);
    }

    @Test
    void plainSpecLeavesTheTaskDefaults() {
        PromptSpec plain = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .label("a")
                .label("b")
                .build();
        assertNull(plain.task().promptTemplate());
        assertNull(plain.task().examples());
    }

    @Test
    void taskIsTheWrappedTaskUnchanged() {
        TaskSpec core = TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .option("threshold", "0.7")
                .build();
        PromptSpec spec = PromptSpec.of(core);
        assertSame(core, spec.task());
        assertSame(core, PipelineSpec.builder().task(spec.task()).build().task());
        PromptSpec changed = spec.withOption("threshold", "0.8");
        assertEquals("0.8", changed.task().options().get("threshold"));
        assertEquals("0.7", core.options().get("threshold"), "the wrapped task is not changed");
    }

    @Test
    void jsonRoundTripKeepsEverything() {
        PromptSpec spec = sample();
        PromptSpec back = PromptSpec.fromJson(spec.toJson());
        assertEquals(spec, back);
        assertEquals(spec.hashCode(), back.hashCode());
        assertEquals(spec.task().promptTemplate(), back.task().promptTemplate());
        assertEquals(spec.toJson(), back.toJson());
    }

    @Test
    void jsonIsTheTaskSectionOfAPipelineSpec() throws Exception {
        PromptSpec spec = sample();
        PipelineSpec pipeline =
                PipelineSpec.builder().task(spec.task()).model("fake").build();
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(pipeline.toJson()).get("task"), json.readTree(spec.toJson()));
        assertEquals(
                spec, PromptSpec.of(PipelineSpec.fromJson(pipeline.toJson()).task()));
        // and a task section written by hand reads as a spec, checked by the one schema
        PromptSpec read = PromptSpec.fromJson("""
                {"type": "TEXT_CLASSIFICATION", "template": "Classify: {text}", "labels": ["a", {"name": "b", "description": "bee"}]}
                """);
        assertEquals(List.of(Label.of("a"), Label.of("b", "bee")), read.labels());
        PipelineSpecException bad = assertThrows(
                PipelineSpecException.class,
                () -> PromptSpec.fromJson(
                        "{\"type\": \"TEXT_CLASSIFICATION\", \"labels\": [\"a\", \"b\"], \"outputFormat\": \"x\"}"));
        assertTrue(bad.getMessage().contains("$.task.outputFormat"), bad.getMessage());
    }

    @Test
    void equalsOverTheTasksContent() {
        PromptSpec a = sample();
        PromptSpec b = PromptSpec.of(a.task().toBuilder().build());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        // where a demonstration was read and its metadata are not the task's content
        List<TextRecord> moved = a.demonstrations().stream()
                .map(d -> TextRecord.builder()
                        .id(d.id())
                        .text(d.text())
                        .label(d.label())
                        .source("elsewhere")
                        .build())
                .toList();
        assertEquals(a, a.withDemonstrations(moved));
        assertNotEquals(a, a.withOption("temperature", "1"));
        assertNotEquals(a, a.withLabels(List.of(Label.of("正面"), Label.of("负面", "失望"))));
        assertNotEquals(a, a.withInstruction(PromptTemplate.of("{text}")));
        assertNotEquals(a, a.withDemonstrations(List.of(TextRecord.of("很好", "正面"))));
    }

    @Test
    void fromCoreSpecKeepsItsDeclaredMetadataFields() {
        TaskSpec core = TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .promptTemplate(
                        PromptTemplate.builder("{city}: {text}").field("city").build())
                .option("k", "v")
                .build();
        PromptSpec spec = PromptSpec.of(core);
        assertEquals(List.of("city"), spec.instruction().fields());
        assertEquals(core.promptTemplate(), spec.task().promptTemplate());
        assertEquals(Map.of("k", "v"), spec.options());
    }

    @Test
    void validatesLikeThePipeline() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                        .label("only")
                        .build());
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        IllegalArgumentException noGold = assertThrows(
                IllegalArgumentException.class,
                () -> PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                        .label("a")
                        .label("b")
                        .demonstrations(List.of(TextRecord.of("x")))
                        .build());
        assertTrue(noGold.getMessage().contains("demonstrations"), noGold.getMessage());
    }

    @Test
    void appliesToAPipelineInOneCall() {
        FakeModel model = new FakeModel();
        PromptSpec spec = PromptSpec.builder(TaskType.TEXT_CLASSIFICATION)
                .label("positive", "great, clean")
                .label("negative", "dirty, rude")
                .build();
        try (TaskPipeline p = spec.applyTo(TaskPipeline.builder().model(model)).build()) {
            PipelineResult r = p.run(TestData.reviews("dev", 40, 2));
            assertEquals(spec.task().labels(), p.spec().labels());
            assertTrue(r.metrics().isPresent());
        }
    }

    @Test
    void rendersTheFullPromptAndDescribesItself() {
        PromptSpec spec = sample();
        TextRecord r = TextRecord.builder()
                .text("干净")
                .metadata(Map.of("product", "酒店"))
                .build();
        String prompt = spec.render(r);
        assertTrue(prompt.startsWith("对酒店评论分类：干净"), prompt);
        assertTrue(prompt.contains("只回答以下标签之一"), prompt);
        assertThrows(IllegalArgumentException.class, () -> spec.render(TextRecord.of("干净")));
        String d = spec.describe();
        assertTrue(d.contains("正面 -> 满意，很好") && d.contains("demonstrations: 2") && d.contains("full prompt"), d);
    }
}
