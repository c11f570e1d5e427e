package io.openautoglm.local.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.openautoglm.core.Entity;
import io.openautoglm.core.TextNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token offsets from bge-small-zh's real tokenizer, and BIO round trips over them. */
class TokenOffsetsTest {
    private static final String SHOP = "我在ＡＢＣ公司（北京）工作，iPhone 15 很好用。";
    private static final String MIXED = "ChatGPT和Ｔｏｋｅｎｉｚｅｒ，😀小米手机";
    private static final BioTags TAGS = BioTags.of(List.of("ORG", "LOC", "PRODUCT"));

    private static Path tokenizerFile;
    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void open() throws IOException {
        System.setProperty("ai.djl.offline", "true");
        tokenizerFile = Files.createTempFile("bge-small-zh-tokenizer-", ".json");
        try (InputStream in =
                TokenOffsetsTest.class.getClassLoader().getResourceAsStream("bge-small-zh-v1.5-q-tokenizer.json")) {
            assertNotNull(in, "bge-small-zh-v1.5-q-tokenizer.json on the test classpath");
            Files.copy(in, tokenizerFile, StandardCopyOption.REPLACE_EXISTING);
        }
        tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerFile)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(512)
                .optPadding(false)
                .build();
    }

    @AfterAll
    static void close() throws IOException {
        tokenizer.close();
        Files.deleteIfExists(tokenizerFile);
    }

    private static Entity entity(String text, String mention, String type) {
        int start = text.indexOf(mention);
        assertTrue(start >= 0, mention);
        return new Entity(start, start + mention.length(), type, mention);
    }

    /** The tokenizer's own tokens for the folded text, for comparing with the offsets. */
    private static String[] tokens(String text) {
        return tokenizer.encode(TokenOffsets.fold(text)).getTokens();
    }

    @Test
    void eachTokenCoversTheOriginalCharactersItWasMadeFrom() {
        for (String text : List.of(SHOP, MIXED)) {
            TokenOffsets offsets = TokenOffsets.encode(tokenizer, text);
            String[] tokens = tokens(text);
            assertEquals(tokens.length, offsets.size());
            assertTrue(offsets.isSpecial(0) && offsets.isSpecial(offsets.size() - 1), "[CLS] and [SEP]");
            for (int t = 1; t < offsets.size() - 1; t++) {
                assertFalse(offsets.isSpecial(t), text + " token " + t);
                String original = text.substring(offsets.start(t), offsets.end(t));
                if (!tokens[t].equals("[UNK]")) {
                    assertEquals(tokens[t].replaceFirst("^##", ""), TokenOffsets.fold(original), text + " token " + t);
                }
            }
        }
    }

    @Test
    void offsetsPointIntoTheTextAsGiven() {
        TokenOffsets shop = TokenOffsets.encode(tokenizer, SHOP);
        String[] tokens = tokens(SHOP);
        int abc = Arrays.asList(tokens).indexOf("abc");
        assertEquals("ＡＢＣ", SHOP.substring(shop.start(abc), shop.end(abc)));
        int iphone = Arrays.asList(tokens).indexOf("iphone");
        assertEquals("iPhone", SHOP.substring(shop.start(iphone), shop.end(iphone)));
        // folding is what keeps full-width letters and capitals out of [UNK]: the vocabulary has neither
        assertFalse(Arrays.asList(tokens).contains("[UNK]"));
        assertTrue(Arrays.asList(tokenizer.encode(SHOP).getTokens()).contains("[UNK]"));

        // a WordPiece continuation over full-width letters, and an emoji (two UTF-16 chars) before CJK
        TokenOffsets mixed = TokenOffsets.encode(tokenizer, MIXED);
        tokens = tokens(MIXED);
        int r = Arrays.asList(tokens).indexOf("##r");
        assertEquals("ｒ", MIXED.substring(mixed.start(r), mixed.end(r)));
        int unk = Arrays.asList(tokens).indexOf("[UNK]");
        assertEquals("😀", MIXED.substring(mixed.start(unk), mixed.end(unk)));
        assertEquals(MIXED.indexOf('小'), mixed.start(unk + 1));
    }

    @Test
    void normalisingTheTextFirstGivesTheSameTokens() {
        String normalised = TextNormalizer.defaults().normalize(SHOP);
        assertFalse(normalised.equals(SHOP), "the default normaliser changes full-width letters");
        assertArrayEquals(
                TokenOffsets.encode(tokenizer, SHOP).ids(),
                TokenOffsets.encode(tokenizer, normalised).ids());
    }

    @Test
    void spansRoundTripThroughTagsOverFullWidthAndMixedScriptText() {
        List<List<Entity>> cases = List.of(
                List.of(entity(SHOP, "ＡＢＣ公司", "ORG"), entity(SHOP, "北京", "LOC"), entity(SHOP, "iPhone 15", "PRODUCT")),
                List.of(entity(SHOP, "ＡＢＣ公司（北京）", "ORG"), entity(SHOP, "iPhone", "PRODUCT")),
                List.of(
                        entity(MIXED, "ChatGPT", "PRODUCT"),
                        entity(MIXED, "Ｔｏｋｅｎｉｚｅｒ", "PRODUCT"),
                        entity(MIXED, "小米", "ORG")));
        for (List<Entity> gold : cases) {
            String text = gold.get(0).mention().equals("ChatGPT") ? MIXED : SHOP;
            TokenOffsets offsets = TokenOffsets.encode(tokenizer, text);
            int[] tags = TAGS.encode(gold, offsets);
            assertEquals(
                    gold.size(), Arrays.stream(tags).filter(t -> t % 2 == 1).count(), "one B- per entity");
            assertEquals(gold, TAGS.decode(tags, offsets, text));
        }
        // "ChatGPT" is four WordPiece tokens (ch ##at ##gp ##t): B- then three I-
        TokenOffsets offsets = TokenOffsets.encode(tokenizer, MIXED);
        int[] tags = TAGS.encode(List.of(entity(MIXED, "ChatGPT", "PRODUCT")), offsets);
        int b = TAGS.begin("PRODUCT");
        assertArrayEquals(new int[] {0, b, b + 1, b + 1, b + 1, 0}, Arrays.copyOf(tags, 6));
    }

    @Test
    void aCharacterThatFoldsIntoSeveralTokensMapsEachOfThemBack() {
        String text = "华为㈱在东京";
        TokenOffsets offsets = TokenOffsets.encode(tokenizer, text);
        assertEquals(List.of("[CLS]", "华", "为", "(", "株", ")", "在", "东", "京", "[SEP]"), List.of(tokens(text)));
        for (int t = 3; t <= 5; t++) {
            assertEquals(2, offsets.start(t));
            assertEquals(3, offsets.end(t));
        }
        List<Entity> gold = List.of(entity(text, "华为㈱", "ORG"), entity(text, "东京", "LOC"));
        assertEquals(gold, TAGS.decode(TAGS.encode(gold, offsets), offsets, text));
    }
}
