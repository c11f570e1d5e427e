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

    @Test
    void idsBuiltToCollideUnderAFixedHashAreTwoIds() {
        // these two collided under the earlier unseeded 64-bit FNV-1a hash, and the second record was failed
        IdIndex index = new IdIndex();
        assertEquals(-1, index.putIfAbsent("pH鷹轴耀痃軀忻", 0));
        assertEquals(-1, index.putIfAbsent("50簀灈茪亶蘀怀", 1));
        assertEquals(0, index.putIfAbsent("pH鷹轴耀痃軀忻", 2));
    }
}
