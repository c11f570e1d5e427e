package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The core tasks hold and render their prompt template by the one set of PromptTemplate rules. */
class TaskTemplateTest {

    private static TaskSpec.Builder classification() {
        return TaskSpec.builder().taskType(TaskType.TEXT_CLASSIFICATION).labels("正面", "负面");
    }

    @Test
    void anUnknownPlaceholderIsRefusedAtBuildWithItsName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> classification().promptTemplate("判断{product}评论：{text}").build());
        assertTrue(e.getMessage().contains("{product}"), e.getMessage());
        assertTrue(
                e.getMessage().contains(".field(\"product\")") && e.getMessage().contains("{{"), e.getMessage());
        IllegalArgumentException viaPipeline = assertThrows(
                IllegalArgumentException.class,
                () -> TaskPipeline.builder()
                        .taskType(TaskType.TEXT_CLASSIFICATION)
                        .promptTemplate("{txet}"));
        assertTrue(viaPipeline.getMessage().contains("{txet}"), viaPipeline.getMessage());
    }

    @Test
    void aLoneBraceIsRefusedAtBuild() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> classification()
                        .promptTemplate("Answer as {\"label\": ...} for {text}")
                        .build());
        assertTrue(e.getMessage().contains("{{"), e.getMessage());
    }

    @Test
    void doubledBracesAreLiteralInTheTaskPrompt() {
        Task t = Task.of(classification()
                .promptTemplate("Answer as {{\"label\": \"...\"}} for {text}")
                .build());
        assertTrue(
                t.renderPrompt(TextRecord.of("x")).startsWith("Answer as {\"label\": \"...\"} for x"),
                t.renderPrompt(TextRecord.of("x")));
    }

    @Test
    void bracesInARecordStayLiteralInOnePass() {
        Task t = Task.of(
                classification().promptTemplate("评论：{text}\n标签：{labels}").build());
        String p = t.renderPrompt(TextRecord.of("我写了 {labels} 和 {text} 还有 {{x}} $1"));
        assertTrue(p.startsWith("评论：我写了 {labels} 和 {text} 还有 {{x}} $1\n标签：正面, 负面"), p);
    }

    @Test
    void declaredMetadataFieldsComeFromTheRecord() {
        PromptTemplate template =
                PromptTemplate.builder("{product}评论：{text}").field("product").build();
        TaskSpec spec = classification().promptTemplate(template).build();
        assertEquals(template, spec.promptTemplate());
        assertEquals(template, spec.toBuilder().build().promptTemplate());
        Task t = Task.of(spec);
        TextRecord hotel = TextRecord.builder()
                .id("r1")
                .text("很好")
                .metadata(Map.of("product", "酒店"))
                .build();
        assertTrue(t.renderPrompt(hotel).startsWith("酒店评论：很好\n"), t.renderPrompt(hotel));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> t.renderPrompt(TextRecord.builder().id("r2").text("很好").build()));
        assertTrue(e.getMessage().contains("'product'") && e.getMessage().contains("r2"), e.getMessage());
    }

    @Test
    void aTemplateWithoutTextGetsItAppended() {
        Task t = Task.of(classification().promptTemplate("判断情感").build());
        assertTrue(t.renderPrompt(TextRecord.of("很好")).startsWith("判断情感\n很好\n"), t.renderPrompt(TextRecord.of("很好")));
    }

    @Test
    void examplesAreTheSpecsExamplesShownAsDemonstrations() {
        Dataset examples = Dataset.of("ex", List.of(TextRecord.of("房间 {text} 干净", "正面")));
        Task t = Task.of(classification()
                .promptTemplate("例子：\n{examples}\n现在：{text}")
                .examples(examples)
                .build());
        String p = t.renderPrompt(TextRecord.of("很差"));
        assertTrue(p.startsWith("例子：\n文本：房间 {text} 干净\n答案：正面\n\n现在：很差"), p);
        Task none = Task.of(
                classification().promptTemplate("例子：\n{examples}\n现在：{text}").build());
        assertTrue(none.renderPrompt(TextRecord.of("很差")).startsWith("例子：\n\n现在：很差"));
    }

    @Test
    void entityTypesAreFilledByTheNerTask() {
        Task t = Task.of(TaskSpec.builder()
                .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                .entityTypes(List.of("PER", "LOC"))
                .promptTemplate("Find {entity_types} in: {text}")
                .build());
        String p = t.renderPrompt(TextRecord.of("Alice went to Paris"));
        assertTrue(p.startsWith("Find PER, LOC in: Alice went to Paris"), p);
    }

    @Test
    void noTemplateMeansTheTasksDefault() {
        TaskSpec spec = classification().promptTemplate((String) null).build();
        assertNull(spec.promptTemplate());
        assertFalse(Task.of(spec).renderPrompt(TextRecord.of("x")).isBlank());
    }
}
