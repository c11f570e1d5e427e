package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    private static final List<Label> LABELS = List.of(Label.of("正面"), Label.of("负面"));

    @Test
    void unknownPlaceholderFailsWithItsName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PromptTemplate.of("判断{product}评论：{text}"));
        assertTrue(e.getMessage().contains("{product}"), e.getMessage());
        assertTrue(e.getMessage().contains(".field(\"product\")"), e.getMessage());
    }

    @Test
    void unbalancedBraceFailsWithItsPosition() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PromptTemplate.of("a { b {text}"));
        assertTrue(e.getMessage().contains("character 2"), e.getMessage());
    }

    @Test
    void invalidFieldNamesAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PromptTemplate.builder("{text}").field("1x"));
        assertThrows(
                IllegalArgumentException.class,
                () -> PromptTemplate.builder("{text}").field("text"));
        assertThrows(IllegalArgumentException.class, () -> PromptTemplate.of("  "));
    }

    @Test
    void missingMetadataFieldFailsAtRenderWithItsName() {
        PromptTemplate t =
                PromptTemplate.builder("{product}: {text}").field("product").build();
        TextRecord noProduct = TextRecord.builder()
                .id("r7")
                .text("很好")
                .metadata(Map.of("city", "北京"))
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> t.render(noProduct, LABELS, List.of()));
        assertTrue(e.getMessage().contains("'product'") && e.getMessage().contains("r7"), e.getMessage());
        TextRecord withProduct = TextRecord.builder()
                .text("很好")
                .metadata(Map.of("product", "酒店"))
                .build();
        assertEquals("酒店: 很好", t.render(withProduct, LABELS, List.of()));
    }

    @Test
    void userTextIsInsertedLiterallyAndCleaned() {
        PromptTemplate t = PromptTemplate.of("评论：{text}\n标签：{labels}");
        TextRecord tricky = TextRecord.of("我写了 {labels} 和 {text} 还有 $1 \\n\u0000\u0007结束");
        String out = t.render(tricky, LABELS, List.of());
        assertEquals("评论：我写了 {labels} 和 {text} 还有 $1 \\n结束\n标签：正面, 负面", out);
    }

    @Test
    void doubledBracesAreLiteral() {
        PromptTemplate t = PromptTemplate.of("Answer as {{\"label\": ...}} for {text}");
        assertEquals(List.of("text"), t.placeholders());
        assertEquals("Answer as {\"label\": ...} for x", t.render(TextRecord.of("x"), LABELS, List.of()));
    }

    @Test
    void examplesAreRenderedInOnePass() {
        PromptTemplate t = PromptTemplate.of("例子：\n{examples}\n现在：{text}");
        List<TextRecord> demos = List.of(TextRecord.of("房间 {text} 干净", "正面"));
        String rendered = t.render(TextRecord.of("很差"), LABELS, demos);
        assertTrue(rendered.contains("文本：房间 {text} 干净\n答案：正面"), rendered);
        assertTrue(rendered.endsWith("现在：很差"), rendered);
        assertFalse(rendered.contains("{examples}"), rendered);
    }

    @Test
    void entityTypesAreListed() {
        PromptTemplate t = PromptTemplate.of("Find {entity_types} in: {text}");
        assertEquals("Find PER, LOC in: x", t.render(TextRecord.of("x"), List.of(), List.of("PER", "LOC"), List.of()));
        assertEquals("Find  in: x", t.render(TextRecord.of("x"), List.of(), List.of()));
    }

    @Test
    void textBIsRequiredWhenUsed() {
        PromptTemplate t = PromptTemplate.of("{text} / {text_b}");
        assertThrows(IllegalArgumentException.class, () -> t.render(TextRecord.of("a"), List.of(), List.of()));
        assertEquals("a / b", t.render(TextRecord.pair("a", "b", null), List.of(), List.of()));
    }
}
