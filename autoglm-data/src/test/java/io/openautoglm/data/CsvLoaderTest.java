package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTextAndLabelWithTheirLines() {
        Path f = TestFiles.write(dir, "reviews.csv", "text,label\n房间很干净,正面\n服务差,负面\n");
        Dataset d = DataLoader.fromCsv(f).load("text", "label");
        List<TextRecord> all = d.toList();
        assertEquals("reviews.csv", d.name());
        assertEquals(2, all.size());
        assertEquals("房间很干净", all.get(0).text());
        assertEquals("正面", all.get(0).label());
        assertEquals("reviews.csv:2", all.get(0).source());
        assertEquals("reviews.csv:3", all.get(1).source());
        assertTrue(all.get(1).isValid());
    }

    @Test
    void multiLineQuotedFieldsKeepPhysicalLineNumbers() {
        Path f = TestFiles.write(
                dir, "m.csv", "id,text\n1,\"第一行\n第二行\"\n\n2,\"a \"\"quoted\"\" word\"\r\n3,\"x\n\ny\"\n4,last");
        List<TextRecord> all = DataLoader.fromCsv(f)
                .load(Columns.builder().id("id").text("text").build())
                .toList();
        assertEquals(
                List.of("1", "2", "3", "4"), all.stream().map(TextRecord::id).toList());
        assertEquals("第一行\n第二行", all.get(0).text());
        assertEquals("a \"quoted\" word", all.get(1).text());
        assertEquals("x\n\ny", all.get(2).text());
        assertEquals(
                List.of("m.csv:2", "m.csv:5", "m.csv:6", "m.csv:9"),
                all.stream().map(TextRecord::source).toList());
    }

    @Test
    void aQuotedEmptyTextIsARecordAndABlankLineIsNot() {
        // one column: a blank line and a row whose only field is "" read alike unless quoting tells them apart
        Path f = TestFiles.write(dir, "one.csv", "text\na\n\n\"\"\nb\n");
        List<TextRecord> all = DataLoader.fromCsv(f).load("text").toList();
        assertEquals(List.of("a", "", "b"), all.stream().map(TextRecord::text).toList());
        assertEquals("one.csv:4", all.get(1).source());
        // unquoted empty fields of wider rows stay empty texts, not missing ones
        Path g = TestFiles.write(dir, "two.csv", "text,label\n,正面\nb,负面\n");
        List<TextRecord> two = DataLoader.fromCsv(g).load("text", "label").toList();
        assertEquals(List.of("", "b"), two.stream().map(TextRecord::text).toList());
    }

    @Test
    void delimiterAndQuoteAreConfigurable() {
        Path f = TestFiles.write(dir, "t.tsv", "text\tlabel\n'a\tb'\tx\n'it''s'\ty\n");
        List<TextRecord> all = DataLoader.fromCsv(f)
                .delimiter('\t')
                .quote('\'')
                .load("text", "label")
                .toList();
        assertEquals("a\tb", all.get(0).text());
        assertEquals("it's", all.get(1).text());
        assertEquals("y", all.get(1).label());
    }

    @Test
    void withoutHeaderColumnsAreNamedByPosition() {
        Path f = TestFiles.write(dir, "n.csv", "正面,很好\n负面,很差\n");
        List<TextRecord> all =
                DataLoader.fromCsv(f).header(false).load("2", "1").toList();
        assertEquals(2, all.size());
        assertEquals("很好", all.get(0).text());
        assertEquals("正面", all.get(0).label());
        assertEquals("n.csv:1", all.get(0).source());
    }

    @Test
    void utf8ByteOrderMarkIsSkipped() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path f = TestFiles.write(dir, "bom.csv", TestFiles.concat(bom, TestFiles.utf8("text,label\n好,正面\n")));
        List<TextRecord> all = DataLoader.fromCsv(f).load("text", "label").toList();
        assertEquals("好", all.get(0).text());
    }

    @Test
    void gbkFilesReadWithTheirCharset() {
        Charset gbk = Charset.forName("GBK");
        Path f = TestFiles.write(dir, "gbk.csv", "文本,标签\n酒店不错,正面\n", gbk);
        List<TextRecord> all =
                DataLoader.fromCsv(f).charset(gbk).load("文本", "标签").toList();
        assertEquals("酒店不错", all.get(0).text());
        assertEquals("正面", all.get(0).label());
    }

    @Test
    void richColumnMappingWithMetadata() {
        Path f = TestFiles.write(
                dir, "pairs.csv", "id,text_a,text_b,label,city,date,extra\n" + "p1,花呗怎么还,花呗如何还款,1,杭州,2024-01-02,e\n");
        TextRecord r = DataLoader.fromCsv(f)
                .load(Columns.builder()
                        .id("id")
                        .text("text_a")
                        .textB("text_b")
                        .label("label")
                        .metadata("city", "date")
                        .build())
                .toList()
                .get(0);
        assertEquals("p1", r.id());
        assertEquals("花呗如何还款", r.textB());
        assertEquals(Map.of("city", "杭州", "date", "2024-01-02"), r.metadata());

        TextRecord all = DataLoader.fromCsv(f)
                .load(Columns.builder()
                        .id("id")
                        .text("text_a")
                        .allOtherColumnsAsMetadata()
                        .build())
                .toList()
                .get(0);
        assertEquals(
                List.of("text_b", "label", "city", "date", "extra"),
                List.copyOf(all.metadata().keySet()));
        assertNull(all.label());
    }

    @Test
    void entitiesFromAJsonCell() {
        Path f = TestFiles.write(
                dir,
                "ner.csv",
                "text,entities\n"
                        + "我在杭州,\"[{\"\"start\"\":2,\"\"end\"\":4,\"\"type\"\":\"\"address\"\",\"\"mention\"\":\"\"杭州\"\"}]\"\n");
        TextRecord r = DataLoader.fromCsv(f)
                .load(Columns.builder().text("text").entities("entities").build())
                .toList()
                .get(0);
        assertEquals(1, r.entities().size());
        assertEquals("杭州", r.entities().get(0).mention());
    }

    @Test
    void eachOpenReadsAgainAndCursorsAreIndependent() {
        Path f = TestFiles.write(dir, "r.csv", "text\na\nb\nc\n");
        Dataset d = DataLoader.fromCsv(f).load("text");
        try (RecordCursor one = d.open();
                RecordCursor two = d.open()) {
            assertEquals("a", one.next().text());
            assertEquals("b", one.next().text());
            assertEquals("a", two.next().text());
        }
        assertEquals(3, d.toList().size());
        assertEquals(3, d.toList().size());
    }

    @Test
    void unknownColumnFailsAtLoadListingTheColumns() {
        Path f = TestFiles.write(dir, "u.csv", "text,label\na,b\n");
        DataException e =
                assertThrows(DataException.class, () -> DataLoader.fromCsv(f).load("review", "label"));
        assertTrue(e.getMessage().contains("unknown column 'review'"), e.getMessage());
        assertTrue(e.getMessage().contains("[text, label]"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void missingFileNamesTheAbsolutePath() {
        Path f = dir.resolve("nope.csv");
        DataException e =
                assertThrows(DataException.class, () -> DataLoader.fromCsv(f).load("text"));
        assertTrue(e.getMessage().startsWith(f.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void emptyFileOrBlankFileHasNoHeader() {
        for (String content : new String[] {"", "\n\n"}) {
            Path f = TestFiles.write(dir, "e.csv", content);
            DataException e = assertThrows(
                    DataException.class, () -> DataLoader.fromCsv(f).load("text"));
            assertTrue(e.getMessage().contains("file is empty"), e.getMessage());
        }
    }

    @Test
    void headerOnlyIsAnEmptyDataset() {
        Path f = TestFiles.write(dir, "h.csv", "text,label\n");
        assertEquals(0, DataLoader.fromCsv(f).load("text", "label").toList().size());
    }

    @Test
    void loadReadsOnlyTheHeaderAndRowsAreReadLazily() {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 5000; i++) {
            csv.append("text ").append(i).append(",x\n");
        }
        csv.append("no label here\n");
        Path f = TestFiles.write(dir, "lazy.csv", csv.toString());
        Dataset d = DataLoader.fromCsv(f).load("text", "label");
        try (RecordCursor c = d.open()) {
            assertEquals("text 0", c.next().text());
            for (int i = 1; i < 5000; i++) {
                assertEquals("lazy.csv:" + (i + 2), c.next().source());
            }
            DataException e = assertThrows(DataException.class, c::hasNext);
            assertEquals(5002, e.line());
        }
    }
}
