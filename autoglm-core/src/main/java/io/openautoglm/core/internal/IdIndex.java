package io.openautoglm.core.internal;

import java.security.SecureRandom;

/**
 * Remembers which record first used each id, in about 50 bytes per id (three longs per slot, a table at most
 * half full), so that duplicate ids can be found in streams of millions of records under a small heap. Ids
 * are kept as 128-bit hashes, seeded at random per
 * index: two distinct ids collide with probability about n²/2¹²⁹, and since the seeds are secret, colliding
 * ids cannot be built on purpose (with a fixed 64-bit hash they could, and a valid record was then failed as a
 * duplicate). Not thread-safe.
 */
public final class IdIndex {
    private static final SecureRandom SEEDS = new SecureRandom();
    private final long seedHigh = SEEDS.nextLong();
    private final long seedLow = SEEDS.nextLong();
    private long[] high = new long[1024];
    private long[] low = new long[1024];
    private long[] firstIndex = new long[1024];
    private int size;

    /**
     * Records that {@code id} was seen at {@code index}.
     *
     * @return the index where the id was first seen, or -1 if this is its first use
     */
    public long putIfAbsent(String id, long index) {
        if (size * 2 >= high.length) {
            grow();
        }
        long h = hash(id, seedHigh);
        long l = hash(id, seedLow);
        int mask = high.length - 1;
        for (int slot = (int) (h ^ (h >>> 32)) & mask; ; slot = (slot + 1) & mask) {
            if (high[slot] == 0) {
                high[slot] = h;
                low[slot] = l;
                firstIndex[slot] = index;
                size++;
                return -1;
            }
            if (high[slot] == h && low[slot] == l) {
                return firstIndex[slot];
            }
        }
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldIndex = firstIndex;
        high = new long[oldHigh.length * 2];
        low = new long[oldHigh.length * 2];
        firstIndex = new long[oldHigh.length * 2];
        int mask = high.length - 1;
        for (int i = 0; i < oldHigh.length; i++) {
            if (oldHigh[i] != 0) {
                int slot = (int) (oldHigh[i] ^ (oldHigh[i] >>> 32)) & mask;
                while (high[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                high[slot] = oldHigh[i];
                low[slot] = oldLow[i];
                firstIndex[slot] = oldIndex[i];
            }
        }
    }

    /**
     * A seeded 64-bit hash of the UTF-16 units, each unit mixed in through a multiply and rotation and the
     * length folded in last; never 0 (the empty-slot mark).
     */
    static long hash(String s, long seed) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < s.length(); i++) {
            h = Long.rotateLeft((h ^ s.charAt(i)) * 0xff51afd7ed558ccdL, 29) + seed;
        }
        h ^= s.length();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
