package io.openautoglm.core.internal;

/**
 * Remembers which record first used each id, in about 16 bytes per id, so that duplicate ids can be found in
 * streams of millions of records under a small heap. Ids are kept as 64-bit hashes: two distinct ids collide
 * with probability about n²/2⁶⁵ (3·10⁻⁸ for a million ids), which a duplicate check can afford.
 * Not thread-safe.
 */
public final class IdIndex {
    private long[] keys = new long[1024];
    private long[] firstIndex = new long[1024];
    private int size;

    /**
     * Records that {@code id} was seen at {@code index}.
     *
     * @return the index where the id was first seen, or -1 if this is its first use
     */
    public long putIfAbsent(String id, long index) {
        if (size * 2 >= keys.length) {
            grow();
        }
        long key = hash(id);
        int mask = keys.length - 1;
        for (int slot = (int) (key ^ (key >>> 32)) & mask; ; slot = (slot + 1) & mask) {
            if (keys[slot] == 0) {
                keys[slot] = key;
                firstIndex[slot] = index;
                size++;
                return -1;
            }
            if (keys[slot] == key) {
                return firstIndex[slot];
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldIndex = firstIndex;
        keys = new long[oldKeys.length * 2];
        firstIndex = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = (int) (oldKeys[i] ^ (oldKeys[i] >>> 32)) & mask;
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                firstIndex[slot] = oldIndex[i];
            }
        }
    }

    /** A 64-bit FNV-1a hash of the UTF-16 units, finished with a mixer; never 0 (the empty-slot mark). */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
