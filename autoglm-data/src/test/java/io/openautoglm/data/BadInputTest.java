package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.ErrorMode;
import io.openautoglm.core.TextRecord;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of bad input, in both modes: fail fast at file:line, or one invalid record with the reason. */
class BadInputTest {
    private static final Columns TEXT_LABEL = Columns.of("text", "label");

    @TempDir
    Path dir;

    /**
     * A bad input case: the file, how to load it, where the bad row is, what the reason says, and how many
     * records (good and bad) the file holds in collect mode.
     */
    record Case(
            String name,
            String file,
            byte[] content,
            Function<Path, DataLoader> loader,
            Columns columns,
            long line,
            String reason,
            int records) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        byte[] gbkLine = "酒店不错,正面\n".getBytes(Charset.forName("GBK"));
        return Stream.of(
                new Case(
                        "wrong charset (GBK read as UTF-8)",
                        "gbk.csv",
                        TestFiles.concat(TestFiles.utf8("text,label\n好,正面\n"), gbkLine, TestFiles.utf8("差,负面\n")),
                        DataLoader::fromCsv,
                        TEXT_LABEL,
                        3,
                        ".charset(Charset.forName(\"GBK\"))",
                        3),
                new Case(
                        "wrong charset in JSONL",
                        "gbk.jsonl",
                        TestFiles.concat(
                                TestFiles.utf8("{\"text\":\"好\"}\n"),
                                "{\"text\":\"酒店\"}\n".getBytes(Charset.forName("GBK"))),
                        DataLoader::fromJsonl,
                        Columns.of("text", null),
                        2,
                        "not valid UTF-8",
                        2),
                new Case(
                        "unbalanced quote",
                        "q.csv",
                        TestFiles.utf8("text,label\na,正面\n\"never closed,负面\nb,正面\nc,负面\n"),
                        DataLoader::fromCsv,
                        TEXT_LABEL,
                        3,
                        "the rest of the file from line 3 could not be parsed",
                        2),
                new Case(
                        "malformed quoting",
                        "m.csv",
                        TestFiles.utf8("text,label\na,正面\n\"quoted\"junk,负面\nb,正面\n"),
                        DataLoader::fromCsv,
                        TEXT_LABEL,
                        3,
                        "malformed CSV",
                        2),
                new Case(
                        "too few fields",
                        "few.csv",
                        TestFiles.utf8("text,label\na,正面\nonly text\nb,负面\n"),
                        DataLoader::fromCsv,
                        TEXT_LABEL,
                        3,
                        "too few fields: the row has 1 but the header has 2",
                        3),
                new Case(
                        "too many fields",
                        "many.csv",
                        TestFiles.utf8("text,label\na,正面\n好,不,正面\nb,负面\n"),
                        DataLoader::fromCsv,
                        TEXT_LABEL,
                        3,
                        "too many fields",
                        3),
                new Case(
                        "empty label",
                        "el.csv",
                        TestFiles.utf8("text,label\na,正面\nb,\n"),
                        DataLoader::fromCsv,
                        TEXT_LABEL,
                        3,
                        "empty label in column 'label'",
                        2),
                new Case(
                        "JSONL line that is not JSON",
                        "bad.jsonl",
                        TestFiles.utf8(
                                "{\"text\":\"a\",\"label\":\"正面\"}\n{\"text\": \"b\", \n{\"text\":\"c\",\"label\":\"负面\"}\n"),
                        DataLoader::fromJsonl,
                        TEXT_LABEL,
                        2,
                        "not valid JSON",
                        3),
                new Case(
                        "JSONL line that is not an object",
                        "arr.jsonl",
                        TestFiles.utf8("{\"text\":\"a\",\"label\":\"正面\"}\n\n[1, 2]\n"),
                        DataLoader::fromJsonl,
                        TEXT_LABEL,
                        3,
                        "is an array, expected a JSON object",
                        2),
                new Case(
                        "JSONL line without the text field",
                        "nt.jsonl",
                        TestFiles.utf8("{\"text\":\"a\",\"label\":\"正面\"}\n{\"label\":\"负面\"}\n"),
                        DataLoader::fromJsonl,
                        TEXT_LABEL,
                        2,
                        "no text: field 'text' is missing or null",
                        2),
                new Case(
                        "text of the wrong type",
                        "wt.jsonl",
                        TestFiles.utf8("{\"text\":\"a\",\"label\":\"正面\"}\n{\"text\":42,\"label\":\"负面\"}\n"),
                        DataLoader::fromJsonl,
                        TEXT_LABEL,
                        2,
                        "field 'text' is a number (42), expected a string",
                        2),
                new Case(
                        "label of the wrong type",
                        "wl.jsonl",
                        TestFiles.utf8("{\"text\":\"a\",\"label\":\"正面\"}\n{\"text\":\"b\",\"label\":[\"负面\"]}\n"),
                        DataLoader::fromJsonl,
                        TEXT_LABEL,
                        2,
                        "field 'label' is an array, expected a string, number or boolean",
                        2),
                new Case(
                        "malformed gold entities",
                        "ent.jsonl",
                        TestFiles.utf8(
                                "{\"text\":\"杭州\",\"entities\":[]}\n"
                                        + "{\"text\":\"杭州\",\"entities\":[{\"start\":\"0\",\"end\":2,\"type\":\"address\",\"mention\":\"杭州\"}]}\n"),
                        DataLoader::fromJsonl,
                        Columns.builder().text("text").entities("entities").build(),
                        2,
                        "entity 1 in field 'entities': 'start' is a string (\"0\"), expected an integer",
                        2),
                new Case(
                        "entity offsets out of order",
                        "off.jsonl",
                        TestFiles.utf8(
                                "{\"text\":\"杭州\",\"entities\":[]}\n"
                                        + "{\"text\":\"杭州\",\"entities\":[{\"start\":2,\"end\":0,\"type\":\"address\",\"mention\":\"杭州\"}]}\n"),
                        DataLoader::fromJsonl,
                        Columns.builder().text("text").entities("entities").build(),
                        2,
                        "start <= end",
                        2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failFastNamesFileAndLine(Case c) {
        Path f = TestFiles.write(dir, c.file(), c.content());
        var dataset = c.loader().apply(f).load(c.columns());
        DataException e = assertThrows(DataException.class, dataset::toList);
        assertEquals(c.file(), e.source());
        assertEquals(c.line(), e.line());
        assertTrue(e.getMessage().startsWith(c.file() + ":" + c.line() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(c.reason()), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void collectKeepsTheBadRowAsAnInvalidRecord(Case c) {
        Path f = TestFiles.write(dir, c.file(), c.content());
        List<TextRecord> all = c.loader()
                .apply(f)
                .onBadRecord(ErrorMode.COLLECT)
                .load(c.columns())
                .toList();
        assertEquals(c.records(), all.size(), all.toString());
        List<TextRecord> invalid = all.stream().filter(r -> !r.isValid()).toList();
        assertEquals(1, invalid.size(), all.toString());
        TextRecord bad = invalid.get(0);
        assertEquals(c.file() + ":" + c.line(), bad.source());
        assertTrue(bad.problem().contains(c.reason()), bad.problem());
        assertTrue(all.get(0).isValid(), "the rows before the bad one are read");
    }

    @Test
    void wholeFileInTheWrongCharsetFailsAtLoadWithAHint() {
        Path f = TestFiles.write(dir, "all-gbk.csv", "文本,标签\n酒店不错,正面\n", Charset.forName("GBK"));
        DataException e = assertThrows(
                DataException.class,
                () -> DataLoader.fromCsv(f).onBadRecord(ErrorMode.COLLECT).load("文本", "标签"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains(".charset(Charset.forName(\"GBK\"))"), e.getMessage());
    }

    @Test
    void emptyTextIsPassedOnNotCrashedOn() {
        Path csv = TestFiles.write(dir, "empty.csv", "text,label\n,正面\n\"\",负面\n");
        List<TextRecord> all = DataLoader.fromCsv(csv).load("text", "label").toList();
        assertEquals(2, all.size());
        assertTrue(all.stream().allMatch(r -> r.isValid() && r.text().isEmpty()));
        Path jsonl = TestFiles.write(dir, "empty.jsonl", "{\"text\":\"\",\"label\":\"正面\"}\n");
        TextRecord r =
                DataLoader.fromJsonl(jsonl).load("text", "label").toList().get(0);
        assertEquals("", r.text());
        assertEquals("empty.jsonl:1", r.source());
    }

    @Test
    void idIsKeptOnInvalidRecordsWhenReadable() {
        Path f = TestFiles.write(dir, "ids.csv", "id,text,label\n7,a,\n8,b\n");
        List<TextRecord> all = DataLoader.fromCsv(f)
                .onBadRecord(ErrorMode.COLLECT)
                .load(Columns.builder().id("id").text("text").label("label").build())
                .toList();
        assertEquals(List.of("7", "8"), all.stream().map(TextRecord::id).toList());
        assertFalse(all.get(0).isValid());
        assertFalse(all.get(1).isValid());
    }

    @Test
    void everyRowOfAWrongCharsetIsReported() {
        byte[] gbk = "酒店不错,正面\n很差,负面\n".getBytes(Charset.forName("GBK"));
        Path f = TestFiles.write(dir, "mixed.csv", TestFiles.concat(TestFiles.utf8("text,label\n"), gbk));
        List<TextRecord> all = DataLoader.fromCsv(f)
                .onBadRecord(ErrorMode.COLLECT)
                .load("text", "label")
                .toList();
        assertEquals(
                List.of("mixed.csv:2", "mixed.csv:3"),
                all.stream().map(TextRecord::source).toList());
        assertTrue(all.stream().noneMatch(TextRecord::isValid));
    }
}
