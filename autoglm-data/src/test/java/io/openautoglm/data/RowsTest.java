package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.ErrorMode;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DataLoader#rows}: each row's place and values, from each kind of source, and bad rows in both modes. */
class RowsTest {
    @TempDir
    Path dir;

    private static List<Row> all(RowSource source) {
        try (Stream<Row> rows = source.stream()) {
            return rows.toList();
        }
    }

    @Test
    void csvWithAHeaderGivesEveryColumnOrTheNamedOnesInTheirOrder() {
        Path f = TestFiles.write(dir, "edges.csv", "src,dst,weight\n1,2,0.5\n\n2,,1\n");
        RowSource source = DataLoader.fromCsv(f).rows();
        assertEquals("edges.csv", source.name());
        List<Row> rows = all(source);
        assertEquals(
                List.of(
                        new Row("edges.csv", 2, Map.of("src", "1", "dst", "2", "weight", "0.5")),
                        new Row("edges.csv", 4, Map.of("src", "2", "dst", "", "weight", "1"))),
                rows);
        assertEquals(
                List.of("src", "dst", "weight"),
                List.copyOf(rows.get(0).values().keySet()),
                "in column order");
        assertEquals("", rows.get(1).get("dst"), "an empty field is kept as \"\"");

        Row named = all(DataLoader.fromCsv(f).rows("dst", "src")).get(0);
        assertEquals(List.of("dst", "src"), List.copyOf(named.values().keySet()), "in the order asked for");
        assertNull(named.get("weight"));
        assertTrue(named.isValid());
        assertThrows(UnsupportedOperationException.class, () -> named.values().put("x", "y"));
    }

    @Test
    void csvWithoutAHeaderNamesColumnsByPositionAndHonoursDelimiterAndCharset() {
        Path f = TestFiles.write(dir, "old.tsv", "正面\t酒店不错\n负面\t\"很\t差\"\n", Charset.forName("GBK"));
        DataLoader loader = DataLoader.fromCsv(f).header(false).delimiter('\t').charset(Charset.forName("GBK"));
        List<Row> rows = all(loader.rows("2", "1"));
        assertEquals(new Row("old.tsv", 1, Map.of("2", "酒店不错", "1", "正面")), rows.get(0), "line 1 is a row");
        assertEquals(new Row("old.tsv", 2, Map.of("2", "很\t差", "1", "负面")), rows.get(1));
        assertEquals(Map.of("1", "正面", "2", "酒店不错"), all(loader.rows()).get(0).values());
    }

    @Test
    void jsonlValuesAreTextNestedObjectsByDottedPathArraysAsJson() {
        Path f = TestFiles.write(
                dir,
                "nodes.jsonl",
                "{\"id\": 7, \"x\": [1, 0.5], \"ok\": true, \"meta\": {\"city\": \"杭州\", \"n\": null}}\n"
                        + "\n"
                        + "{\"id\": 8, \"x\": [0, 1], \"ok\": null}\n");
        List<Row> rows = all(DataLoader.fromJsonl(f).rows());
        assertEquals(
                new Row("nodes.jsonl", 1, Map.of("id", "7", "x", "[1,0.5]", "ok", "true", "meta.city", "杭州")),
                rows.get(0),
                "JSON null is left out");
        assertEquals(new Row("nodes.jsonl", 3, Map.of("id", "8", "x", "[0,1]")), rows.get(1));

        List<Row> named = all(DataLoader.fromJsonl(f).rows("meta", "id", "meta.city"));
        assertEquals(
                Map.of("meta", "{\"city\":\"杭州\",\"n\":null}", "id", "7", "meta.city", "杭州"),
                named.get(0).values(),
                "a named object is its JSON text");
        assertEquals(Map.of("id", "8"), named.get(1).values(), "a field missing from a later line is left out");
    }

    @Test
    void jdbcRowsThroughH2() throws Exception {
        String url = "jdbc:h2:mem:rows;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE node (id INT, label VARCHAR(10), score REAL)");
            s.execute("INSERT INTO node VALUES (1, 'a', 0.5), (2, NULL, 1)");
            String sql = "SELECT * FROM node ORDER BY id"; // short enough to be the whole name
            RowSource source = DataLoader.fromJdbc(url, sql).fetchSize(1).rows("ID", "label");
            assertEquals("jdbc:" + sql, source.name());
            List<Row> rows = all(source);
            assertEquals(
                    List.of(
                            new Row("jdbc:" + sql, 1, Map.of("ID", "1", "label", "a")),
                            new Row("jdbc:" + sql, 2, Map.of("ID", "2"))),
                    rows,
                    "keyed as asked; SQL NULL is left out");
            assertEquals(
                    Map.of("ID", "2", "SCORE", "1.0"),
                    all(DataLoader.fromJdbc(url, sql).rows()).get(1).values());

            DataException e = assertThrows(
                    DataException.class, () -> DataLoader.fromJdbc(url, sql).rows("nope"));
            assertTrue(
                    e.getMessage().contains("unknown column 'nope'; the query's columns are [ID, LABEL, SCORE]"),
                    e.getMessage());
            s.execute("DROP ALL OBJECTS");
        }
    }

    @Test
    void aBadRowFailsFastAtItsFileAndLine() {
        Path csv = TestFiles.write(dir, "few.csv", "src,dst\n1,2\n3\n4,5\n");
        RowSource source = DataLoader.fromCsv(csv).rows("src", "dst");
        try (RowCursor c = source.open()) {
            assertEquals("1", c.next().get("src"));
            DataException e = assertThrows(DataException.class, c::hasNext);
            assertEquals("few.csv", e.source());
            assertEquals(3, e.line());
            assertTrue(
                    e.getMessage().startsWith("few.csv:3: too few fields: the row has 1 but the header has 2"),
                    e.getMessage());
        }
        Path jsonl = TestFiles.write(dir, "bad.jsonl", "{\"a\": 1}\n{\"a\": \n[1]\n");
        DataException e = assertThrows(
                DataException.class, () -> all(DataLoader.fromJsonl(jsonl).rows("a")));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void collectingGivesEachBadRowMarkedWithItsLineAndReason() {
        byte[] gbk = "3,酒店\n".getBytes(Charset.forName("GBK"));
        Path csv = TestFiles.write(
                dir,
                "mixed.csv",
                TestFiles.concat(TestFiles.utf8("src,dst\n1,2\n3\n"), gbk, TestFiles.utf8("4,5,6\n7,8\n")));
        List<Row> rows =
                all(DataLoader.fromCsv(csv).onBadRecord(ErrorMode.COLLECT).rows("src", "dst"));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), rows.stream().map(Row::line).toList(), "nothing is dropped");
        assertEquals(
                List.of(true, false, false, false, true),
                rows.stream().map(Row::isValid).toList());
        assertTrue(
                rows.get(1).problem().startsWith("too few fields"), rows.get(1).problem());
        assertTrue(
                rows.get(2).problem().contains("not valid UTF-8"), rows.get(2).problem());
        assertTrue(
                rows.get(3).problem().startsWith("too many fields"), rows.get(3).problem());
        assertEquals(Map.of(), rows.get(1).values(), "a bad row has no values");
        assertNull(rows.get(1).get("src"));
        assertEquals("mixed.csv", rows.get(1).source());

        Path quote = TestFiles.write(dir, "q.csv", "a\n1\n\"never closed\n2\n");
        List<Row> broken =
                all(DataLoader.fromCsv(quote).onBadRecord(ErrorMode.COLLECT).rows());
        assertEquals(2, broken.size());
        assertEquals(3, broken.get(1).line());
        assertTrue(
                broken.get(1).problem().contains("unbalanced quote"),
                broken.get(1).problem());

        Path jsonl = TestFiles.write(dir, "arr.jsonl", "{\"a\": 1}\n[1, 2]\n{\"a\": 3}\n");
        List<Row> lines =
                all(DataLoader.fromJsonl(jsonl).onBadRecord(ErrorMode.COLLECT).rows());
        assertEquals(Row.bad("arr.jsonl", 2, "the line is an array, expected a JSON object"), lines.get(1));
        assertEquals("3", lines.get(2).get("a"));
    }

    @Test
    void columnsAreCheckedUpFrontAndNamesValidated() {
        Path f = TestFiles.write(dir, "e.csv", "src,dst\n1,2\n");
        DataException e =
                assertThrows(DataException.class, () -> DataLoader.fromCsv(f).rows("src", "target"));
        assertTrue(
                e.getMessage().contains("e.csv:1: unknown column 'target'; the columns are [src, dst]"),
                e.getMessage());
        Path j = TestFiles.write(dir, "e.jsonl", "{\"a\": {\"b\": 1}}\n");
        e = assertThrows(DataException.class, () -> DataLoader.fromJsonl(j).rows("a.c"));
        assertTrue(e.getMessage().contains("unknown field 'a.c'"), e.getMessage());
        assertThrows(
                DataException.class,
                () -> DataLoader.fromCsv(dir.resolve("none.csv")).rows());
        IllegalArgumentException twice = assertThrows(
                IllegalArgumentException.class, () -> DataLoader.fromCsv(f).rows("src", "src"));
        assertEquals("column 'src' is named twice in [src, src]", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.fromCsv(f).rows("src", " "));
        Path dup = TestFiles.write(dir, "dup.csv", "a,a\n1,2\n");
        e = assertThrows(DataException.class, () -> DataLoader.fromCsv(dup).rows());
        assertTrue(e.getMessage().contains("appear more than once"), e.getMessage());
    }

    @Test
    void eachOpenReadsAgainAndCursorsAreIndependent() {
        Path f = TestFiles.write(dir, "r.csv", "v\na\nb\n");
        RowSource source = DataLoader.fromCsv(f).rows("v");
        try (RowCursor one = source.open();
                RowCursor two = source.open()) {
            assertEquals("a", one.next().get("v"));
            assertEquals("b", one.next().get("v"));
            assertFalse(one.hasNext());
            assertEquals("a", two.next().get("v"));
        }
        assertEquals(2, all(source).size());
        assertEquals(2, all(source).size());
    }

    @Test
    void aRowIsAValue() {
        Row good = new Row("t.csv", 2, Map.of("a", "1"));
        assertEquals(good, new Row("t.csv", 2, Map.of("a", "1"), null));
        assertThrows(IllegalArgumentException.class, () -> new Row("t.csv", 0, Map.of()));
        assertThrows(NullPointerException.class, () -> Row.bad("t.csv", 1, null));
        assertThrows(IllegalArgumentException.class, () -> new Row("t.csv", 1, Map.of("a", "1"), "bad"));
        Map<String, String> withNull = new java.util.HashMap<>();
        withNull.put("a", null);
        assertThrows(NullPointerException.class, () -> new Row("t.csv", 1, withNull));
    }
}
