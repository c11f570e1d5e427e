package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeededSampleTest {
    private static Dataset numbers(int n) {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(
                    i % 7 == 0
                            ? TextRecord.builder().id("own-" + i).text("t" + i).build()
                            : TextRecord.of("t" + i));
        }
        return Dataset.of("numbers", records);
    }

    @Test
    void drawsInSourceOrderWithRanksAndPositionsAsIds() {
        List<SeededSample.Drawn> d = SeededSample.draw(numbers(1000), 100, 1);
        assertEquals(100, d.size());
        for (int i = 1; i < d.size(); i++) {
            assertTrue(d.get(i - 1).position() < d.get(i).position());
        }
        Set<Integer> ranks = new HashSet<>();
        d.forEach(x -> ranks.add(x.rank()));
        assertEquals(100, ranks.size());
        assertTrue(ranks.stream().allMatch(r -> r >= 0 && r < 100));
        for (SeededSample.Drawn x : d) {
            assertEquals("t" + x.position(), x.record().text());
            String id = x.position() % 7 == 0 ? "own-" + x.position() : String.valueOf(x.position() + 1);
            assertEquals(id, x.record().id(), "its own id, or its 1-based position as the pipeline numbers it");
        }
    }

    @Test
    void aLargerSampleKeepsEverySmallerOneAndItsRanks() {
        List<SeededSample.Drawn> small = SeededSample.draw(numbers(1000), 50, 9);
        List<SeededSample.Drawn> large = SeededSample.draw(numbers(1000), 200, 9);
        for (SeededSample.Drawn s : small) {
            assertTrue(
                    large.stream().anyMatch(l -> l.position() == s.position() && l.rank() == s.rank()),
                    "record " + s.position());
        }
        assertNotEquals(
                small.stream().map(SeededSample.Drawn::position).toList(),
                SeededSample.draw(numbers(1000), 50, 10).stream()
                        .map(SeededSample.Drawn::position)
                        .toList(),
                "another seed draws another sample");
    }

    @Test
    void takesEverythingFromASmallerSource() {
        assertEquals(30, SeededSample.draw(numbers(30), 100, 1).size());
        assertEquals(0, SeededSample.draw(numbers(0), 100, 1).size());
    }
}
