package io.openautoglm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    private final TextNormalizer n = TextNormalizer.defaults();

    @Test
    void fullWidthLettersAndDigitsBecomeHalfWidthWhileChinesePunctuationStays() {
        assertEquals("ABC123，！房间 OK。", n.normalize("ＡＢＣ１２３，！房间　ＯＫ。"));
        assertEquals(
                "ABC123,!",
                TextNormalizer.builder().halfWidthPunctuation(true).build().normalize("ＡＢＣ１２３，！"));
        assertEquals("（注：fi）", n.normalize("（注：ﬁ）"));
        assertEquals("fi", n.normalize("ﬁ"));
    }

    @Test
    void htmlEntitiesAreDecoded() {
        assertEquals("a & b <c> \"d\" © é", n.normalize("a &amp; b &lt;c&gt; &quot;d&quot; &copy; &#233;"));
        assertEquals("x &bogus; y", n.normalize("x &bogus; y"));
        assertEquals("中", n.normalize("&#x4E2D;"));
    }

    @Test
    void controlAndZeroWidthCharactersAreRemoved() {
        assertEquals("ab", n.normalize("a\u0000\u200Bb\u0007"));
    }

    @Test
    void whiteSpaceRunsCollapseAndEndsTrim() {
        assertEquals("房间 很 干净", n.normalize("  房间\t\t很\u3000\n 干净  "));
    }

    @Test
    void stepsCanBeTurnedOff() {
        TextNormalizer keepWidth = TextNormalizer.builder().nfkc(false).build();
        assertEquals("ＡＢ", keepWidth.normalize("ＡＢ"));
        assertEquals("  x  ", TextNormalizer.none().normalize("  x  "));
        assertEquals("abc", TextNormalizer.builder().lowercase(true).build().normalize("AbC"));
        assertNull(n.normalize((String) null));
    }

    @Test
    void nerRecordsKeepTheirRawTextSoGoldOffsetsStayTrue() {
        TextRecord r = TextRecord.builder()
                .text(" 北京  欢迎你")
                .entities(List.of(new Entity(1, 3, "address", "北京")))
                .build();
        assertEquals(" 北京  欢迎你", n.normalize(r).text());
        TextRecord plain = TextRecord.of(" 北京  欢迎你");
        assertEquals("北京 欢迎你", n.normalize(plain).text());
    }
}
