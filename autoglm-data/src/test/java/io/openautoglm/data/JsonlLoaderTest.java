package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Entity;
import io.openautoglm.core.TextRecord;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlLoaderTest {
    @TempDir
    Path dir;

    @Test
    void nestedPathsForEveryMapping() {
        Path f = TestFiles.write(
                dir,
                "reviews.jsonl",
                "{\"meta\":{\"id\":101,\"city\":\"杭州\"},\"review\":{\"body\":\"很好\",\"stars\":5},\"gold\":{\"label\":\"正面\"}}\n"
                        + "\n"
                        + "{\"meta\":{\"id\":102,\"city\":\"上海\"},\"review\":{\"body\":\"一般\",\"stars\":3},\"gold\":{\"label\":\"负面\"}}\n");
        List<TextRecord> all = DataLoader.fromJsonl(f)
                .load(Columns.builder()
                        .id("meta.id")
                        .text("review.body")
                        .label("gold.label")
                        .metadata("meta.city", "review.stars")
                        .build())
                .toList();
        assertEquals(2, all.size());
        TextRecord r = all.get(1);
        assertEquals("102", r.id());
        assertEquals("一般", r.text());
        assertEquals("负面", r.label());
        assertEquals(Map.of("meta.city", "上海", "review.stars", "3"), r.metadata());
        assertEquals("reviews.jsonl:3", r.source());
    }

    @Test
    void aKeyWithADotIsFoundBeforeThePath() {
        Path f = TestFiles.write(dir, "d.jsonl", "{\"a.b\":\"flat\",\"a\":{\"b\":\"nested\"}}\n");
        assertEquals("flat", DataLoader.fromJsonl(f).load("a.b").toList().get(0).text());
    }

    @Test
    void goldEntitiesInTheClueNerFormat() {
        Path f = TestFiles.write(
                dir,
                "ner.jsonl",
                "{\"text\": \"彭小军认为，国内银行现在走的是台湾的发卡模式\", \"entities\": "
                        + "[{\"start\": 0, \"end\": 3, \"type\": \"name\", \"mention\": \"彭小军\"}, "
                        + "{\"start\": 15, \"end\": 17, \"type\": \"address\", \"mention\": \"台湾\"}]}\n"
                        + "{\"text\": \"没有实体\", \"entities\": []}\n");
        List<TextRecord> all = DataLoader.fromJsonl(f)
                .load(Columns.builder().text("text").entities("entities").build())
                .toList();
        assertEquals(
                List.of(new Entity(0, 3, "name", "彭小军"), new Entity(15, 17, "address", "台湾")),
                all.get(0).entities());
        assertEquals(List.of(), all.get(1).entities());
        assertTrue(all.get(1).hasGold());
    }

    @Test
    void numericAndBooleanLabelsBecomeText() {
        Path f = TestFiles.write(
                dir,
                "m.jsonl",
                "{\"q1\":\"a\",\"q2\":\"b\",\"label\":1}\n{\"q1\":\"c\",\"q2\":\"d\",\"label\":false}\n");
        List<TextRecord> all = DataLoader.fromJsonl(f)
                .load(Columns.builder().text("q1").textB("q2").label("label").build())
                .toList();
        assertEquals("1", all.get(0).label());
        assertEquals("false", all.get(1).label());
        assertEquals("d", all.get(1).textB());
    }

    @Test
    void allOtherFieldsAsMetadataByDottedPath() {
        Path f = TestFiles.write(
                dir,
                "o.jsonl",
                "{\"text\":\"a\",\"user\":{\"name\":\"x\",\"age\":3},\"tags\":[\"p\",\"q\"],\"n\":null}\n");
        TextRecord r = DataLoader.fromJsonl(f)
                .load(Columns.builder().text("text").allOtherColumnsAsMetadata().build())
                .toList()
                .get(0);
        assertEquals(Map.of("user.name", "x", "user.age", "3", "tags", "[\"p\",\"q\"]"), r.metadata());
    }

    @Test
    void missingMetadataFieldIsLeftOutButALabelIsRequired() {
        Path f = TestFiles.write(dir, "opt.jsonl", "{\"text\":\"a\",\"city\":\"杭州\"}\n{\"text\":\"b\"}\n");
        List<TextRecord> all = DataLoader.fromJsonl(f)
                .load(Columns.builder().text("text").metadata("city").build())
                .toList();
        assertEquals(Map.of(), all.get(1).metadata());
        assertNull(all.get(1).label());
    }

    @Test
    void unknownFieldFailsAtLoadListingTheFields() {
        Path f = TestFiles.write(dir, "u.jsonl", "{\"review\":{\"body\":\"a\"},\"label\":\"x\"}\n");
        DataException e =
                assertThrows(DataException.class, () -> DataLoader.fromJsonl(f).load("review.text", "label"));
        assertTrue(e.getMessage().contains("unknown field 'review.text'"), e.getMessage());
        assertTrue(e.getMessage().contains("[review, review.body, label]"), e.getMessage());
    }

    @Test
    void emptyFileFailsAtLoad() {
        Path f = TestFiles.write(dir, "e.jsonl", "\n  \n");
        DataException e =
                assertThrows(DataException.class, () -> DataLoader.fromJsonl(f).load("text"));
        assertTrue(e.getMessage().contains("file is empty"), e.getMessage());
    }

    @Test
    void gbkAndCrLfLineEnds() {
        Charset gbk = Charset.forName("GBK");
        Path f = TestFiles.write(dir, "g.jsonl", "{\"text\":\"第一\"}\r\n{\"text\":\"第二\"}\r\n", gbk);
        List<TextRecord> all = DataLoader.fromJsonl(f).charset(gbk).load("text").toList();
        assertEquals(List.of("第一", "第二"), all.stream().map(TextRecord::text).toList());
        assertEquals("g.jsonl:2", all.get(1).source());
    }
}
