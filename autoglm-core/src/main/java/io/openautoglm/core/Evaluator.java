package io.openautoglm.core;

/**
 * Accumulates predictions against gold answers and computes the task's {@link Metrics}. Records without a
 * gold answer are ignored. Not thread-safe: the pipeline feeds it from one thread, in input order.
 */
public interface Evaluator {

    /** Adds one scored record. */
    void add(TextRecord gold, Prediction prediction);

    /** The metrics over everything added so far. */
    Metrics metrics();

    /**
     * Scores all predictions of a list against the records at the same positions; a {@code null} prediction (a
     * failed record) is left out, as the pipeline leaves failures out of its metrics.
     */
    static Metrics evaluate(
            Task task, java.util.List<TextRecord> gold, java.util.List<? extends Prediction> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(
                    "gold has " + gold.size() + " records but predicted has " + predicted.size());
        }
        Evaluator e = task.newEvaluator();
        for (int i = 0; i < gold.size(); i++) {
            if (predicted.get(i) != null) {
                e.add(gold.get(i), predicted.get(i));
            }
        }
        return e.metrics();
    }
}
