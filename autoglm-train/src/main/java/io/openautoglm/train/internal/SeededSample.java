package io.openautoglm.train.internal;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.RecordCursor;
import io.openautoglm.core.TextRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A seeded sample of a dataset, read in one pass with memory for the sample only: every record gets a key drawn from
 * the seed and its position, and the {@code n} smallest keys are kept. A larger {@code n} with the same seed keeps
 * every record a smaller one kept, so a distillation asked for more records pays only for the new ones.
 */
public final class SeededSample {
    /**
     * One drawn record.
     *
     * @param position the record's 0-based position in the source
     * @param rank     its place in the draw: 0 was drawn first; splits are cut by rank
     * @param record   the record, with its position (1-based) as id when the source gives none, as
     *                 {@code TaskPipeline} numbers such records, so a journal keys it the same way
     */
    public record Drawn(long position, int rank, TextRecord record) {}

    private record Keyed(long key, long position, TextRecord record) {}

    private static final Comparator<Keyed> BY_KEY =
            Comparator.comparingLong(Keyed::key).thenComparingLong(Keyed::position);

    private SeededSample() {}

    /** At most {@code n} records of {@code data}, in source order, each with its rank in the draw. */
    public static List<Drawn> draw(Dataset data, int n, long seed) {
        PriorityQueue<Keyed> kept = new PriorityQueue<>(BY_KEY.reversed());
        long position = 0;
        try (RecordCursor cursor = data.open()) {
            while (cursor.hasNext()) {
                TextRecord r = cursor.next();
                Keyed k = new Keyed(mix(seed, position), position, r);
                position++;
                if (kept.size() < n) {
                    kept.add(k);
                } else if (BY_KEY.compare(k, kept.peek()) < 0) {
                    kept.poll();
                    kept.add(k);
                }
            }
        }
        List<Keyed> ranked = new ArrayList<>(kept);
        ranked.sort(BY_KEY);
        List<Drawn> out = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            Keyed k = ranked.get(i);
            TextRecord r = k.record().id() != null
                    ? k.record()
                    : k.record().toBuilder()
                            .id(String.valueOf(k.position() + 1))
                            .build();
            out.add(new Drawn(k.position(), i, r));
        }
        out.sort(Comparator.comparingLong(Drawn::position));
        return out;
    }

    /** SplitMix64 of the seed and the position: the same record gets the same key in every run. */
    static long mix(long seed, long position) {
        long z = seed * 0x9E3779B97F4A7C15L + position * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
