package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers a model may give, read the way a person would read them. */
class AnswerParsingTest {
    private static String label(Task t, String answer) {
        return ((Prediction.Classification) t.parse(answer, TextRecord.of("x"))).label();
    }

    private static Task classification(String... labels) {
        return Task.of(TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels(labels)
                .build());
    }

    @Test
    void labelsEndingInPunctuationAreReadExactly() {
        Task langs = classification("Java", "C#", "C++");
        assertEquals("C++", label(langs, "C++"));
        assertEquals("C#", label(langs, "答案：C#"));
        assertEquals("C#", label(langs, "\"C#\"."));
        Task grades = classification("A+", "A", "A-");
        assertEquals("A-", label(grades, "A-"));
        assertEquals("A+", label(grades, "A+"));
        assertEquals("A", label(grades, "A."));
    }

    private static Prediction.Entities entities(String text, String answer, String... types) {
        Task t = Task.of(TaskSpec.builder()
                .taskType(TaskType.NAMED_ENTITY_RECOGNITION)
                .entityTypes(List.of(types))
                .build());
        return (Prediction.Entities) t.parse(answer, TextRecord.of(text));
    }

    @Test
    void aShorterMentionGoesToAFreeOccurrenceNotInsideAPlacedEntity() {
        Prediction.Entities p = entities(
                "北京大学位于北京",
                "{\"entities\":[{\"type\":\"ORG\",\"mention\":\"北京大学\"},{\"type\":\"LOC\",\"mention\":\"北京\"}]}",
                "ORG",
                "LOC");
        assertEquals(List.of(new Entity(0, 4, "ORG", "北京大学"), new Entity(6, 8, "LOC", "北京")), p.entities());
    }

    @Test
    void repeatedMentionsTakeSuccessiveOccurrences() {
        Prediction.Entities p = entities(
                "北京和北京",
                "{\"entities\":[{\"type\":\"LOC\",\"mention\":\"北京\"},{\"type\":\"LOC\",\"mention\":\"北京\"}]}",
                "LOC");
        assertEquals(List.of(new Entity(0, 2, "LOC", "北京"), new Entity(3, 5, "LOC", "北京")), p.entities());
    }

    @Test
    void blankMentionsAreRejectedAndPaddedOnesTrimmed() {
        Prediction.Entities p = entities(
                "IBM and Apple",
                "{\"entities\":[{\"type\":\"ORG\",\"mention\":\" \"},{\"type\":\"ORG\",\"mention\":\"IBM \"}]}",
                "ORG");
        assertEquals(List.of(new Entity(0, 3, "ORG", "IBM")), p.entities());
        assertEquals(1, p.unaligned().size(), p.unaligned().toString());
    }

    @Test
    void aMentionInAnotherWidthIsFoundAndKeepsTheTextsOwnCharacters() {
        Prediction.Entities p = entities("ＩＢＭ公司发布", "{\"entities\":[{\"type\":\"ORG\",\"mention\":\"IBM\"}]}", "ORG");
        assertEquals(List.of(new Entity(0, 3, "ORG", "ＩＢＭ")), p.entities(), "unaligned " + p.unaligned());
    }

    private static Prediction.Match match(String answer) {
        Task t = Task.of(TaskSpec.builder().taskType(TaskType.SEMANTIC_MATCHING).build());
        return (Prediction.Match) t.parse(answer, TextRecord.pair("a", "b", null));
    }

    @Test
    void matchingAnswersInWordsNumbersAndJson() {
        assertFalse(match("不是").matched());
        assertFalse(match("Not a match").matched());
        assertFalse(match("No.").matched());
        assertTrue(match("是的").matched());
        assertTrue(match("是的，没有不同").matched(), "the negation is in a later clause");
        assertFalse(match("是不同的").matched());
        assertFalse(match("same topic but not the same question").matched());
        assertTrue(match("1").matched());
        assertFalse(match("0").matched());
        Prediction.Match p = match("0.9");
        assertTrue(p.matched());
        assertEquals(0.9, p.score(), 1e-12);
        assertFalse(match("0.2").matched());
        assertEquals(0.9, match("{\"match\": true, \"score\": 0.9}").score(), 1e-12);
        assertTrue(match("{\"score\": 0.9}").matched());
    }

    @Test
    void aMatchingTemplateWithOnlyTheFirstTextStillShowsTheSecond() {
        Task t = Task.of(TaskSpec.builder()
                .taskType(TaskType.SEMANTIC_MATCHING)
                .promptTemplate("Do these questions ask the same thing? {text}")
                .build());
        String prompt = t.renderPrompt(TextRecord.pair("How old are you?", "What is your age?", null));
        assertTrue(prompt.contains("How old are you?") && prompt.contains("What is your age?"), prompt);
    }

    @Test
    void aNegatedLabelIsNotReadAsThatLabel() {
        Task sentiment = classification("正面", "负面");
        for (String answer : List.of("不是负面", "非负面", "这不是正面的评价")) {
            assertThrows(OutputParseException.class, () -> label(sentiment, answer), answer);
        }
        Task english = classification("positive", "negative");
        assertThrows(OutputParseException.class, () -> label(english, "not positive"));
        assertThrows(OutputParseException.class, () -> label(english, "not positiv"));
        assertEquals("no", label(classification("yes", "no"), "No no"), "a label said twice is no negation");
        // a label that itself begins with a negation is still read
        Task satisfaction = classification("满意", "不满意");
        assertEquals("不满意", label(satisfaction, "客户不满意"));
        assertEquals("满意", label(satisfaction, "客户很满意"));
    }

    @Test
    void aJsonMatchingAnswerIsReadAsJsonOnly() {
        for (String unreadable :
                List.of("{\"matched_maybe\": 2}", "{\"same\": false}", "{\"match\": \"uncertain\", \"score\": 7}")) {
            assertThrows(OutputParseException.class, () -> match(unreadable), unreadable);
        }
        assertFalse(match("{\"matched\": false}").matched());
        Prediction.Match low = match("{\"match\": null, \"score\": 0.1}");
        assertFalse(low.matched());
        assertEquals(0.1, low.score(), 1e-12);
        Prediction.Match outOfRange = match("{\"match\": true, \"score\": 95}");
        assertTrue(outOfRange.matched());
        assertEquals(1.0, outOfRange.score(), 1e-12, "a score outside [0, 1] is no probability");
    }
}
