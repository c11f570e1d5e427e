package io.openautoglm.local.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.openautoglm.core.Entity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BIO encoding and decoding over hand-made token offsets (TokenOffsetsTest runs them over the real tokenizer). */
class BioTagsTest {
    private static final BioTags TAGS = BioTags.of(List.of("PER", "ORG"));
    private static final int O = 0;
    private static final int B_PER = 1;
    private static final int I_PER = 2;
    private static final int B_ORG = 3;
    private static final int I_ORG = 4;

    // "张三在ABC工作": [CLS] 张 三 在 abc 工 作 [SEP]
    private static final String TEXT = "张三在ABC工作";
    private static final TokenOffsets TOKENS =
            new TokenOffsets(new long[] {101, 1, 2, 3, 4, 5, 6, 102}, new int[] {-1, 0, 1, 2, 3, 6, 7, -1}, new int[] {
                -1, 1, 2, 3, 6, 7, 8, -1
            });

    private static Entity entity(int start, int end, String type) {
        return new Entity(start, end, type, TEXT.substring(start, end));
    }

    @Test
    void tagsAreOThenBeginAndInsidePerType() {
        assertEquals(List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG"), TAGS.tags());
        assertEquals(5, TAGS.size());
        assertEquals(B_ORG, TAGS.begin("ORG"));
        assertEquals(I_PER, TAGS.inside("PER"));
        assertThrows(IllegalArgumentException.class, () -> BioTags.of(List.of("PER", "PER")));
        assertThrows(IllegalArgumentException.class, () -> TAGS.begin("LOC"));
    }

    @Test
    void encodeTagsTheTokensOfEachEntityAndLeavesSpecialTokensOutside() {
        List<Entity> gold = List.of(entity(3, 6, "ORG"), entity(0, 2, "PER"));
        int[] tags = TAGS.encode(gold, TOKENS);
        assertArrayEquals(new int[] {O, B_PER, I_PER, O, B_ORG, O, O, O}, tags);
        assertEquals(List.of(entity(0, 2, "PER"), entity(3, 6, "ORG")), TAGS.decode(tags, TOKENS, TEXT));
    }

    @Test
    void aTokenPartlyInsideAnEntityBelongsToIt() {
        // "BC" covers part of the token "abc": the whole token is tagged, so the decoded span grows to it
        int[] tags = TAGS.encode(List.of(entity(4, 6, "ORG"), entity(1, 2, "PER")), TOKENS);
        assertArrayEquals(new int[] {O, O, B_PER, O, B_ORG, O, O, O}, tags);
        assertEquals(List.of(entity(1, 2, "PER"), entity(3, 6, "ORG")), TAGS.decode(tags, TOKENS, TEXT));
    }

    @Test
    void overlappingEntitiesKeepTheOneStartingFirst() {
        int[] tags = TAGS.encode(List.of(entity(1, 4, "ORG"), entity(0, 2, "PER")), TOKENS);
        assertArrayEquals(new int[] {O, B_PER, I_PER, O, O, O, O, O}, tags);
        // at the same start the longer one wins
        tags = TAGS.encode(List.of(entity(0, 1, "PER"), entity(0, 3, "ORG")), TOKENS);
        assertArrayEquals(new int[] {O, B_ORG, I_ORG, I_ORG, O, O, O, O}, tags);
    }

    @Test
    void entitiesBeyondTheTokensGetNoTags() {
        TokenOffsets truncated =
                new TokenOffsets(new long[] {101, 1, 102}, new int[] {-1, 0, -1}, new int[] {-1, 1, -1});
        assertArrayEquals(new int[] {O, O, O}, TAGS.encode(List.of(entity(3, 6, "ORG")), truncated));
        assertThrows(
                IllegalArgumentException.class, () -> TAGS.encode(List.of(new Entity(0, 1, "LOC", "张")), truncated));
    }

    @Test
    void decodeRepairsIllFormedSequences() {
        // an I- with nothing to continue starts an entity
        assertEquals(
                List.of(entity(0, 2, "PER")), TAGS.decode(new int[] {O, I_PER, I_PER, O, O, O, O, O}, TOKENS, TEXT));
        // an I- of another type ends the open entity and starts its own
        assertEquals(
                List.of(entity(0, 1, "PER"), entity(1, 3, "ORG")),
                TAGS.decode(new int[] {O, B_PER, I_ORG, I_ORG, O, O, O, O}, TOKENS, TEXT));
        // B- after B- of the same type: two entities
        assertEquals(
                List.of(entity(0, 1, "PER"), entity(1, 2, "PER")),
                TAGS.decode(new int[] {O, B_PER, B_PER, O, O, O, O, O}, TOKENS, TEXT));
        // an entity may end the text
        assertEquals(
                List.of(entity(3, 6, "ORG"), entity(6, 8, "PER")),
                TAGS.decode(new int[] {O, O, O, O, B_ORG, I_PER, I_PER, O}, TOKENS, TEXT));
    }

    @Test
    void specialTokensEndEntitiesAndShortPathsLeaveTheRestOutside() {
        TokenOffsets pair = new TokenOffsets(
                new long[] {101, 1, 102, 2, 102}, new int[] {-1, 0, -1, 1, -1}, new int[] {-1, 1, -1, 2, -1});
        assertEquals(
                List.of(entity(0, 1, "PER"), entity(1, 2, "PER")),
                TAGS.decode(new int[] {I_PER, I_PER, I_PER, I_PER, I_PER}, pair, TEXT));
        // a Viterbi path over a row's real tokens only
        assertEquals(List.of(entity(0, 1, "PER")), TAGS.decode(new int[] {O, B_PER}, pair, TEXT));
        assertThrows(IllegalArgumentException.class, () -> TAGS.decode(new int[6], pair, TEXT));
        assertThrows(IllegalArgumentException.class, () -> TAGS.decode(new int[] {O, 5}, pair, TEXT));
    }
}
