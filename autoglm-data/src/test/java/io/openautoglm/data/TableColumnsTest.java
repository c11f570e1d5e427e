package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.TextRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Columns#table}: rows that are not texts, from each kind of source. */
class TableColumnsTest {
    @TempDir
    Path dir;

    @Test
    void csvRowsCarryTheNamedColumnsAsMetadataWithTheirLines() {
        Path f = TestFiles.write(dir, "edges.csv", "src,dst,weight\n1,2,0.5\n\n2,,1\n");
        List<TextRecord> rows =
                DataLoader.fromCsv(f).load(Columns.table("src", "dst")).toList();
        assertEquals(2, rows.size());
        assertEquals(Map.of("src", "1", "dst", "2"), rows.get(0).metadata());
        assertEquals("", rows.get(0).text());
        assertNull(rows.get(0).id());
        assertNull(rows.get(0).label());
        assertEquals("edges.csv:2", rows.get(0).source());
        assertEquals(Map.of("src", "2", "dst", ""), rows.get(1).metadata(), "an empty field is kept as \"\"");
        assertEquals("edges.csv:4", rows.get(1).source());
    }

    @Test
    void unknownTableColumnFailsListingTheColumns() {
        Path f = TestFiles.write(dir, "edges.csv", "src,dst\n1,2\n");
        DataException e =
                assertThrows(DataException.class, () -> DataLoader.fromCsv(f).load(Columns.table("src", "target")));
        assertTrue(e.getMessage().contains("edges.csv:1: unknown column 'target'"), e.getMessage());
        assertTrue(e.getMessage().contains("[src, dst]"), e.getMessage());
    }

    @Test
    void jsonlNumbersArraysAndMissingFields() {
        Path f = TestFiles.write(
                dir, "nodes.jsonl", "{\"id\": 7, \"x\": [1, 0.5], \"label\": \"ml\"}\n{\"id\": 8, \"x\": [0, 1]}\n");
        List<TextRecord> rows =
                DataLoader.fromJsonl(f).load(Columns.table("id", "x", "label")).toList();
        assertEquals(
                Map.of("id", "7", "x", "[1,0.5]", "label", "ml"), rows.get(0).metadata());
        assertEquals(Map.of("id", "8", "x", "[0,1]"), rows.get(1).metadata(), "a missing field is left out");
        assertEquals("nodes.jsonl:2", rows.get(1).source());
    }

    @Test
    void jdbcNullIsLeftOut() throws Exception {
        String url = "jdbc:h2:mem:table_columns;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE node (id INT, label VARCHAR(10))");
            s.execute("INSERT INTO node VALUES (1, 'a'), (2, NULL)");
            List<TextRecord> rows = DataLoader.fromJdbc(url, "SELECT id, label FROM node ORDER BY id")
                    .load(Columns.table("ID", "label"))
                    .toList();
            assertEquals(Map.of("ID", "1", "label", "a"), rows.get(0).metadata());
            assertEquals(Map.of("ID", "2"), rows.get(1).metadata());
            assertEquals(
                    "jdbc:SELECT id, label FROM node ORDER BY id:2", rows.get(1).source());
            s.execute("DROP ALL OBJECTS");
        }
    }

    @Test
    void tableMappingIsAValue() {
        assertEquals(Columns.table("a", "b"), Columns.table("a", "b"));
        assertEquals(Columns.table("a", "b").hashCode(), Columns.table("a", "b").hashCode());
        assertNotEquals(Columns.table("a"), Columns.builder().text("a").build());
        assertEquals("Columns[table=[a, b]]", Columns.table("a", "b").toString());
        assertNull(Columns.table("a").text());
        assertThrows(IllegalArgumentException.class, Columns::table);
        assertThrows(IllegalArgumentException.class, () -> Columns.table("a", " "));
    }
}
