package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Tokenised examples grouped into batches of similar length, so that little of each batch is padding: the examples
 * are shuffled with the seed, cut into pools of fifty batches, each pool sorted by length and cut into batches, and
 * the batches shuffled again.
 */
public final class Batches {
    /**
     * One tokenised example and its target: a class index, or one tag index per token.
     *
     * @param mirror the same example read another way that means the same (a pair in the other order), which
     *     training draws instead of it half of the time; {@code null} when there is none
     * @param second a pair's second text when the two are embedded apart (a bi-encoder; {@code ids} is then the
     *     first text alone), else {@code null}
     */
    public record Example(long[] ids, long[] types, int label, int[] tags, Example mirror, long[] second) {
        public Example(long[] ids, long[] types, int label, int[] tags) {
            this(ids, types, label, tags, null, null);
        }

        public Example(long[] ids, long[] types, int label, int[] tags, Example mirror) {
            this(ids, types, label, tags, mirror, null);
        }

        /** A pair whose texts are embedded apart, each as a text of its own (token type 0). */
        public static Example apart(long[] first, long[] second, int label) {
            return new Example(first, new long[first.length], label, null, null, second);
        }

        int length() {
            return second == null ? ids.length : Math.max(ids.length, second.length);
        }
    }

    /**
     * A batch as int64 tensors on one manager, padded to its longest example. Pairs embedded apart take two rows
     * each: the first texts of the batch's examples in order, then their second texts.
     *
     * @param tags each token's tag, padding tagged 0, when the examples are tagged; else {@code null}
     */
    public record Batch(NDArray ids, NDArray mask, NDArray types, NDArray tags, List<Example> examples, long tokens) {}

    private static final int POOL = 50;

    private Batches() {}

    /** A short digest of the examples' tokens and targets, in order: the same data gives the same digest. */
    public static String fingerprint(List<Example> examples) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
        for (Example e : examples) {
            for (long id : e.ids()) {
                crc.update(b.clear().putLong(id).flip());
            }
            for (long id : e.second() == null ? new long[0] : e.second()) {
                crc.update(b.clear().putLong(-2_000_000L - id).flip());
            }
            for (int tag : e.tags() == null ? new int[0] : e.tags()) {
                crc.update(b.clear().putLong(-1000L - tag).flip());
            }
            crc.update(b.clear().putLong(-1L - e.label()).flip()); // also ends the example
        }
        return String.format("crc32c %08x", crc.getValue());
    }

    /**
     * The examples in length-bucketed batches, in an order drawn from {@code random}; an example with a mirror is
     * replaced by it on a coin flip.
     */
    public static List<List<Example>> plan(List<Example> examples, int batchSize, Random random) {
        List<Example> shuffled = new ArrayList<>(examples.size());
        for (Example e : examples) {
            shuffled.add(e.mirror() != null && random.nextBoolean() ? e.mirror() : e);
        }
        Collections.shuffle(shuffled, random);
        List<List<Example>> batches = new ArrayList<>();
        for (int from = 0; from < shuffled.size(); from += POOL * batchSize) {
            List<Example> pool =
                    new ArrayList<>(shuffled.subList(from, Math.min(shuffled.size(), from + POOL * batchSize)));
            pool.sort(Comparator.comparingInt(Example::length));
            for (int b = 0; b < pool.size(); b += batchSize) {
                batches.add(pool.subList(b, Math.min(pool.size(), b + batchSize)));
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    /** The examples in order (for evaluation), in batches of similar length; each keeps its index. */
    public static List<List<Integer>> inOrder(List<Example> examples, int batchSize) {
        Integer[] order = new Integer[examples.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> examples.get(i).length()));
        List<List<Integer>> batches = new ArrayList<>();
        for (int b = 0; b < order.length; b += batchSize) {
            batches.add(Arrays.asList(order).subList(b, Math.min(order.length, b + batchSize)));
        }
        return batches;
    }

    /** The tensors of a batch, on {@code manager}. */
    public static Batch tensors(List<Example> batch, NDManager manager) {
        boolean apart = batch.get(0).second() != null;
        List<long[]> rows = new ArrayList<>();
        List<long[]> rowTypes = new ArrayList<>();
        for (Example e : batch) {
            rows.add(e.ids());
            rowTypes.add(e.types());
        }
        for (int r = 0; apart && r < batch.size(); r++) {
            rows.add(batch.get(r).second());
            rowTypes.add(new long[batch.get(r).second().length]);
        }
        int width = batch.stream().mapToInt(Example::length).max().orElse(1);
        long[] ids = new long[rows.size() * width];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        boolean tagged = batch.get(0).tags() != null;
        long[] tags = tagged ? new long[ids.length] : null;
        long tokens = 0;
        for (int r = 0; r < rows.size(); r++) {
            int length = rows.get(r).length;
            System.arraycopy(rows.get(r), 0, ids, r * width, length);
            System.arraycopy(rowTypes.get(r), 0, types, r * width, length);
            Arrays.fill(mask, r * width, r * width + length, 1L);
            for (int t = 0; tagged && t < length; t++) {
                tags[r * width + t] = batch.get(r).tags()[t];
            }
            tokens += length;
        }
        Shape shape = new Shape(rows.size(), width);
        return new Batch(
                manager.create(ids, shape),
                manager.create(mask, shape),
                manager.create(types, shape),
                tagged ? manager.create(tags, shape) : null,
                batch,
                tokens);
    }
}
