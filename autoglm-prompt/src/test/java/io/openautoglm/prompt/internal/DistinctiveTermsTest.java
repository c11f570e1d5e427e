package io.openautoglm.prompt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistinctiveTermsTest {

    @Test
    void findsTheWordsThatSeparateChineseClassesWithoutFragments() {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(TextRecord.of("房间不错的，交通方便" + (i % 3 == 0 ? "，早餐也好" : ""), "正面"));
            records.add(TextRecord.of("房间太差，服务很差" + (i % 4 == 0 ? "，不会再来" : ""), "负面"));
        }
        Map<String, List<String>> terms = DistinctiveTerms.find(records, List.of("正面", "负面"), 4);
        List<String> positive = terms.get("正面");
        assertFalse(positive.isEmpty());
        for (int i = 0; i < positive.size(); i++) {
            for (int j = 0; j < positive.size(); j++) {
                if (i != j) {
                    assertFalse(positive.get(i).contains(positive.get(j)), positive.toString());
                    assertFalse(DistinctiveTerms.overlaps(positive.get(i), positive.get(j)), positive.toString());
                }
            }
        }
        assertTrue(terms.get("负面").stream().anyMatch(t -> t.contains("差")), terms.toString());
        assertTrue(positive.stream().noneMatch(t -> t.contains("房间")), "shared words are not distinctive: " + positive);
    }

    @Test
    void englishUsesWordsAndWordPairs() {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(TextRecord.of("the room was great and clean", "pos"));
            records.add(TextRecord.of("the room was terrible", "neg"));
        }
        Map<String, List<String>> terms = DistinctiveTerms.find(records, List.of("pos", "neg"), 3);
        assertEquals("terrible", terms.get("neg").get(0));
        assertTrue(terms.get("pos").contains("great") || terms.get("pos").contains("great and"), terms.toString());
        assertFalse(DistinctiveTerms.overlaps("great", "terrible"));
        assertTrue(DistinctiveTerms.overlaps("不错", "错的"));
    }
}
