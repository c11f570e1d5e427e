package io.openautoglm.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.local.LocalModel;
import io.openautoglm.local.LocalOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With useTemplate, what the local head embeds is the core PromptTemplate rendered for each record. */
class TemplateInputTest {
    private static final PromptTemplate TEMPLATE = PromptTemplate.builder("{product}评论（{labels}）{{原文}}：{text}")
            .field("product")
            .build();
    private static LocalModel model;

    @BeforeAll
    static void open() {
        model = LocalModel.open(
                "local:bge-small-zh", LocalOptions.builder().maxTokens(64).build());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static TextRecord review(String text, String label) {
        return TextRecord.builder()
                .text(text)
                .label(label)
                .metadata(Map.of("product", "酒店"))
                .build();
    }

    private static final List<TextRecord> EXAMPLES = List.of(
            review("房间很干净，服务很好", "正面"),
            review("早餐很丰富，下次还来", "正面"),
            review("房间很脏，服务很差", "负面"),
            review("隔音太差，一夜没睡", "负面"));

    private static TaskSpec.Builder spec() {
        return TaskSpec.builder().taskType(TaskType.TEXT_CLASSIFICATION).labels("正面", "负面");
    }

    @Test
    void theHeadEmbedsTheCoreTemplateRenderedForTheRecord() {
        TaskSpec templated = spec().promptTemplate(TEMPLATE)
                .examples(Dataset.of("ex", EXAMPLES))
                .option("useTemplate", "true")
                .build();
        ClassificationPredictor p = new ClassificationPredictor(model.embeddings(), Task.of(templated));
        TextRecord r = review("早餐{text}不错", null);
        // one pass: the braces in the text stay as they are; {{ }} are literal; {labels} as the core lists them
        assertEquals("酒店评论（正面, 负面）{原文}：早餐{text}不错", p.input(r));
        assertEquals(TEMPLATE.render(r, templated.labels(), List.of()), p.input(r));

        // the same head as one trained on the rendered texts themselves, embedded bare
        List<TextRecord> rendered =
                EXAMPLES.stream().map(e -> TextRecord.of(p.input(e), e.label())).toList();
        ClassificationPredictor bare = new ClassificationPredictor(
                model.embeddings(),
                Task.of(spec().examples(Dataset.of("ex", rendered)).build()));
        Prediction.Classification viaTemplate = (Prediction.Classification)
                p.predict(List.of(r), new UsageMeter()).get(0).prediction();
        Prediction.Classification viaText =
                (Prediction.Classification) bare.predict(List.of(TextRecord.of(p.input(r))), new UsageMeter())
                        .get(0)
                        .prediction();
        assertEquals(viaText.label(), viaTemplate.label());
        assertEquals(viaText.score(), viaTemplate.score(), 1e-9);
    }

    @Test
    void aTemplateWithoutTextIsAPrefix() {
        TaskSpec prefixed = spec().promptTemplate("为这个句子生成表示：")
                .option("useTemplate", "true")
                .build();
        ClassificationPredictor p = new ClassificationPredictor(model.embeddings(), Task.of(prefixed));
        assertEquals("为这个句子生成表示：房间很干净", p.input(TextRecord.of("房间很干净")));
    }

    @Test
    void aRecordWithoutTheFieldFailsAloneNamingIt() {
        TaskSpec templated =
                spec().promptTemplate(TEMPLATE).option("useTemplate", "true").build();
        ClassificationPredictor p = new ClassificationPredictor(model.embeddings(), Task.of(templated));
        List<Outcome> out = p.predict(List.of(review("房间很干净", null), TextRecord.of("房间很脏")), new UsageMeter());
        assertTrue(out.get(0).succeeded());
        assertFalse(out.get(1).succeeded());
        assertEquals(
                io.openautoglm.core.Failure.Kind.INVALID_INPUT,
                out.get(1).failure().kind());
        assertTrue(
                out.get(1).failure().message().contains("'product'"),
                out.get(1).failure().message());
    }
}
