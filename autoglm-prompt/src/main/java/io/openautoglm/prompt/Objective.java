package io.openautoglm.prompt;

import io.openautoglm.core.Metrics;
import io.openautoglm.core.TaskType;

/** The dev-set number an optimiser maximises, read from a run's {@link Metrics}. */
public enum Objective {
    /** Classification accuracy, or pair accuracy for matching. */
    ACCURACY,
    /** Macro-averaged F1 over the labels (classification). */
    MACRO_F1,
    /** F1 of the positive ("match") class (matching). */
    POSITIVE_F1,
    /** Entity-level micro F1 (NER). */
    ENTITY_F1;

    /** The usual objective of a task: accuracy, positive-class F1 for matching, micro F1 for NER. */
    public static Objective defaultFor(TaskType type) {
        return switch (type) {
            case TEXT_CLASSIFICATION -> ACCURACY;
            case SEMANTIC_MATCHING -> POSITIVE_F1;
            case NAMED_ENTITY_RECOGNITION -> ENTITY_F1;
        };
    }

    /**
     * Reads this objective from metrics.
     *
     * @throws IllegalArgumentException when the metrics are of a task this objective does not apply to
     */
    public double of(Metrics metrics) {
        if (metrics instanceof Metrics.ClassificationMetrics c) {
            return switch (this) {
                case ACCURACY -> c.accuracy();
                case MACRO_F1 -> c.macroF1();
                default -> throw mismatch(metrics);
            };
        }
        if (metrics instanceof Metrics.MatchingMetrics m) {
            return switch (this) {
                case ACCURACY -> m.accuracy();
                case POSITIVE_F1 -> m.positive().f1();
                default -> throw mismatch(metrics);
            };
        }
        if (metrics instanceof Metrics.EntityMetrics e && this == ENTITY_F1) {
            return e.micro().f1();
        }
        throw mismatch(metrics);
    }

    private IllegalArgumentException mismatch(Metrics metrics) {
        return new IllegalArgumentException("objective " + this + " does not apply to "
                + metrics.getClass().getSimpleName() + "; use Objective.defaultFor(taskType)");
    }
}
