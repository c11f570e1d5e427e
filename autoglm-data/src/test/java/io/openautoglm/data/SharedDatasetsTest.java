package io.openautoglm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real evaluation sets in ../shared/datasets/nlp, where they are present. */
class SharedDatasetsTest {

    private static Path nlp(String relative) {
        String shared = System.getProperty("shared.dir", "../../shared");
        Path p = Path.of(shared, "datasets", "nlp", relative);
        assumeTrue(
                Files.isRegularFile(p),
                () -> "shared dataset not present: " + p.toAbsolutePath().normalize()
                        + " (put the shared folder beside the repository, or pass -Dshared.dir=<folder>)");
        return p;
    }

    @Test
    void chnSentiCorpTestSplit() {
        Dataset test = DataLoader.fromCsv(nlp("chnsenticorp_htl/test.csv")).load("text", "label");
        List<TextRecord> all = test.toList();
        assertEquals(776, all.size());
        assertTrue(all.stream().allMatch(TextRecord::isValid));
        Map<String, Long> byLabel =
                all.stream().collect(Collectors.groupingBy(TextRecord::label, Collectors.counting()));
        assertEquals(Map.of("正面", 532L, "负面", 244L), byLabel);
    }

    @Test
    void clueNerDevWithGoldEntitiesAlignedToTheText() {
        Dataset dev = DataLoader.fromJsonl(nlp("cluener2020/dev.jsonl"))
                .load(Columns.builder().text("text").entities("entities").build());
        long count = 0;
        try (RecordCursor c = dev.open()) {
            while (c.hasNext()) {
                TextRecord r = c.next();
                assertTrue(r.isValid(), r.toString());
                r.entities().forEach(e -> assertEquals(e.mention(), r.text().substring(e.start(), e.end())));
                count++;
            }
        }
        assertEquals(1343, count);
    }
}
