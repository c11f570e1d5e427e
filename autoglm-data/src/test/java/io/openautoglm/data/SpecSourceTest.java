package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.DataException;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.TextRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec's sources open through autoglm-data, with paths relative to the spec file. */
class SpecSourceTest {
    @TempDir
    Path dir;

    @Test
    void aCsvSourceResolvesAgainstTheSpecFolderNotTheWorkingDirectory() throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("in.tsv"), "id\tq\tlabel\n1\t很好\t正面\n2\t很差\t负面\n");
        Files.writeString(specs.resolve("s.json"), """
                {"version": 1,
                 "source": {"format": "csv", "path": "in.tsv", "delimiter": "\\t", "idColumn": "id", "textColumn": "q",
                            "labelColumn": "label"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["正面", "负面"]}}
                """);
        PipelineSpec spec = PipelineSpec.read(specs.resolve("s.json"));
        List<TextRecord> records = spec.openSource().toList();
        assertEquals(2, records.size());
        assertEquals("很差", records.get(1).text());
        assertEquals("负面", records.get(1).label());
        assertEquals("2", records.get(1).id());
    }

    @Test
    void aMissingFileNamesItsResolvedPath() throws Exception {
        PipelineSpec spec = PipelineSpec.fromJson("""
                {"version": 1, "source": {"format": "jsonl", "path": "nope.jsonl", "textColumn": "text"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}}
                """, dir);
        DataException e =
                assertThrows(DataException.class, () -> spec.openSource().toList());
        assertTrue(e.getMessage().contains(dir.resolve("nope.jsonl").toString()), e.getMessage());
    }

    @Test
    void aJdbcSourceTakesItsPasswordFromAFileReference() throws Exception {
        String url = "jdbc:h2:mem:specsource;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", "pw-from-file");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE review(id INT, body VARCHAR(100))");
            s.execute("INSERT INTO review VALUES (1, '好'), (2, '坏')");
        }
        Files.writeString(dir.resolve("db.pw"), "pw-from-file\n");
        PipelineSpec spec = PipelineSpec.fromJson("""
                {"version": 1, "source": {"format": "jdbc", "url": "%s", "user": "sa", "password": "${file:db.pw}",
                  "query": "SELECT id, body FROM review ORDER BY id", "idColumn": "id", "textColumn": "body"},
                 "task": {"type": "TEXT_CLASSIFICATION", "labels": ["a", "b"]}}
                """.formatted(url), dir);
        assertEquals(
                List.of("好", "坏"),
                spec.openSource().toList().stream().map(TextRecord::text).toList());
    }
}
