package io.openautoglm.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IdIndexTest {
    @Test
    void findsTheFirstUseOfEveryRepeatedIdAcrossGrowth() {
        IdIndex index = new IdIndex();
        for (int i = 0; i < 100_000; i++) {
            assertEquals(-1, index.putIfAbsent("id-" + i, i));
        }
        for (int i = 0; i < 100_000; i += 997) {
            assertEquals(i, index.putIfAbsent("id-" + i, 200_000 + i));
        }
        assertEquals(-1, index.putIfAbsent("", 5));
        assertEquals(5, index.putIfAbsent("", 6));
    }
}
