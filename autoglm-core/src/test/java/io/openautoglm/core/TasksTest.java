package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TasksTest {
    private final Task sentiment = Task.of(TaskSpec.builder()
            .taskType(TaskType.TEXT_CLASSIFICATION)
            .promptTemplate("判断以下用户反馈的情感倾向:{text}")
            .labels("正面", "负面", "中性")
            .build());
    private final TextRecord any = TextRecord.of("房间很干净");

    private String label(String answer) {
        return ((Prediction.Classification) sentiment.parse(answer, any)).label();
    }

    @Test
    void classificationAnswersAreMatchedExactlyThenLoosely() {
        assertEquals("正面", label("正面"));
        assertEquals("负面", label("  “负面”。"));
        assertEquals("中性", label("答案：中性"));
        assertEquals("正面", label("{\"label\": \"正面\"}"));
        assertEquals("负面", label("这条反馈的情感是负面的"));
        assertEquals("中性", label("中姓"));
    }

    @Test
    void unparseableAnswersFailAndKeepTheRawText() {
        OutputParseException e = assertThrows(OutputParseException.class, () -> label("我不知道"));
        assertEquals("我不知道", e.rawOutput());
        assertThrows(OutputParseException.class, () -> label("正面还是负面"));
        assertThrows(OutputParseException.class, () -> label(""));
    }

    @Test
    void englishLabelsMatchIgnoringCaseAndPunctuation() {
        Task t = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("positive", "negative")
                .build());
        assertEquals("positive", ((Prediction.Classification) t.parse("Positive.", any)).label());
        assertEquals("negative", ((Prediction.Classification) t.parse("The answer is negative", any)).label());
    }

    @Test
    void promptsFollowTheTemplateLanguageAndListTheLabels() {
        String p = sentiment.renderPrompt(TextRecord.of("早餐{不错}"));
        assertTrue(p.startsWith("判断以下用户反馈的情感倾向:早餐{不错}"), p);
        assertTrue(p.contains("正面、负面、中性"), p);
        Task english = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .promptTemplate("Topic of {text}?")
                .build());
        assertTrue(english.renderPrompt(TextRecord.of("x")).contains("exactly one of these labels"));
    }

    @Test
    void validationRejectsEmptyTextsAndUnknownGoldLabels() {
        assertEquals("empty text", sentiment.validate(TextRecord.of(" ")).orElseThrow());
        assertTrue(sentiment.validate(TextRecord.of("x", "好评")).orElseThrow().contains("好评"));
        assertTrue(sentiment.validate(TextRecord.of("x", "正面")).isEmpty());
    }

    @Test
    void classificationMetricsMatchHandComputation() {
        Task t = Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("a", "b")
                .build());
        List<TextRecord> gold = List.of(
                TextRecord.of("1", "a"), TextRecord.of("2", "a"), TextRecord.of("3", "b"), TextRecord.of("4", "b"));
        List<Prediction> pred = List.of(cls("a"), cls("b"), cls("b"), cls("b"));
        Metrics.ClassificationMetrics m = (Metrics.ClassificationMetrics) Evaluator.evaluate(t, gold, pred);
        assertEquals(0.75, m.accuracy(), 1e-12);
        // a: P=1, R=0.5, F1=2/3; b: P=2/3, R=1, F1=0.8
        assertEquals(2.0 / 3, m.perLabel().get("a").f1(), 1e-12);
        assertEquals(0.8, m.perLabel().get("b").f1(), 1e-12);
        assertEquals((2.0 / 3 + 0.8) / 2, m.macroF1(), 1e-12);
        assertEquals(1, m.confusion()[0][1]);
        assertTrue(m.report().contains("macro-F1"));
        assertEquals(0.75, m.primary(), 1e-12);
        assertEquals("accuracy", m.primaryName());
    }

    private static Prediction cls(String label) {
        return new Prediction.Classification(label, 1, null);
    }

    @Test
    void nerMentionsAreRealignedToOffsetsAndUnknownOnesReported() {
        Task ner = Task.of(TaskSpec.builder()
                .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                .entityTypes(List.of("name", "address"))
                .build());
        TextRecord r = TextRecord.of("张三去北京，李四也去北京");
        Prediction.Entities e = (Prediction.Entities) ner.parse(
                "```json\n{\"entities\": ["
                        + "{\"type\":\"address\",\"mention\":\"北京\"},{\"type\":\"address\",\"mention\":\"北京\"},"
                        + "{\"type\":\"name\",\"mention\":\"张三\"},{\"type\":\"name\",\"mention\":\"王五\"},"
                        + "{\"type\":\"movie\",\"mention\":\"李四\"}]}\n```",
                r);
        assertEquals(
                List.of(
                        new Entity(0, 2, "name", "张三"),
                        new Entity(3, 5, "address", "北京"),
                        new Entity(10, 12, "address", "北京")),
                e.entities());
        assertEquals(List.of("name:王五", "movie:李四 (unknown type)"), e.unaligned());
        assertThrows(OutputParseException.class, () -> ner.parse("not json", r));
    }

    @Test
    void entityMetricsCountExactSpansPerType() {
        Task ner = Task.of(
                TaskSpec.builder().taskType(TaskType.NAMED_ENTITY_RECOGNITION).build());
        TextRecord gold = TextRecord.builder()
                .text("张三去北京")
                .entities(List.of(new Entity(0, 2, "name", "张三"), new Entity(3, 5, "address", "北京")))
                .build();
        Prediction pred =
                new Prediction.Entities(List.of(new Entity(0, 2, "name", "张三"), new Entity(3, 4, "address", "北")));
        Metrics.EntityMetrics m = (Metrics.EntityMetrics) Evaluator.evaluate(ner, List.of(gold), List.of(pred));
        assertEquals(0.5, m.micro().precision(), 1e-12);
        assertEquals(0.5, m.micro().recall(), 1e-12);
        assertEquals(1.0, m.perType().get("name").f1(), 1e-12);
        assertEquals(0.0, m.perType().get("address").f1(), 1e-12);
        assertEquals(0.5, m.primary(), 1e-12);
        assertEquals("entity micro-F1", m.primaryName());
    }

    @Test
    void matchingReadsYesNoAndScoresPairs() {
        Task match =
                Task.of(TaskSpec.builder().taskType(TaskType.SEMANTIC_MATCHING).build());
        TextRecord pair = TextRecord.pair("花呗怎么还款", "花呗如何还钱", "1");
        assertTrue(((Prediction.Match) match.parse("是", pair)).matched());
        assertFalse(((Prediction.Match) match.parse("不是", pair)).matched());
        assertFalse(((Prediction.Match) match.parse("No.", pair)).matched());
        assertEquals(0.8, ((Prediction.Match) match.parse("{\"match\": true, \"score\": 0.8}", pair)).score(), 1e-12);
        assertThrows(OutputParseException.class, () -> match.parse("也许", pair));
        assertTrue(match.validate(TextRecord.pair("a", null, null)).isPresent());
        assertTrue(match.validate(TextRecord.pair("a", "b", "maybe")).isPresent());

        List<TextRecord> gold = List.of(
                TextRecord.pair("a", "b", "1"),
                TextRecord.pair("a", "b", "0"),
                TextRecord.pair("a", "b", "1"),
                TextRecord.pair("a", "b", "0"));
        List<Prediction> pred = List.of(
                new Prediction.Match(true, 1),
                new Prediction.Match(true, 1),
                new Prediction.Match(false, 0),
                new Prediction.Match(false, 0));
        Metrics.MatchingMetrics m = (Metrics.MatchingMetrics) Evaluator.evaluate(match, gold, pred);
        assertEquals(0.5, m.accuracy(), 1e-12);
        assertEquals(0.5, m.positive().f1(), 1e-12);
        assertEquals(0.5, m.primary(), 1e-12);
        assertEquals("accuracy", m.primaryName());
    }
}
