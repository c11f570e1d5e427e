package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchesTest {

    /** Pairs {@code [i, 100 + i]} whose mirror is {@code [100 + i, i]}. */
    private static List<Batches.Example> pairs(int n) {
        List<Batches.Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] types = {0, 1};
            Batches.Example mirror = new Batches.Example(new long[] {100 + i, i}, types, i % 2, null);
            out.add(new Batches.Example(new long[] {i, 100 + i}, types, i % 2, null, mirror));
        }
        return out;
    }

    @Test
    void eachPairIsPlannedOnceInOneOfItsTwoOrdersDrawnBySeed() {
        List<Batches.Example> examples = pairs(200);
        Map<Batches.Example, Batches.Example> original = new IdentityHashMap<>();
        for (Batches.Example e : examples) {
            original.put(e, e);
            original.put(e.mirror(), e);
        }
        List<Batches.Example> planned = flat(Batches.plan(examples, 16, new Random(7)));
        assertEquals(200, planned.size());
        assertEquals(200, planned.stream().map(original::get).distinct().count(), "every pair exactly once");
        long mirrored = planned.stream().filter(e -> e.mirror() == null).count();
        assertTrue(mirrored > 70 && mirrored < 130, () -> mirrored + " of 200 read in the other order");
        for (Batches.Example e : planned) {
            assertEquals(original.get(e).label(), e.label());
        }

        assertEquals(planned, flat(Batches.plan(examples, 16, new Random(7))), "the same seed, the same plan");
        assertNotEquals(planned, flat(Batches.plan(examples, 16, new Random(8))));
    }

    private static List<Batches.Example> flat(List<List<Batches.Example>> batches) {
        return batches.stream().flatMap(List::stream).toList();
    }
}
