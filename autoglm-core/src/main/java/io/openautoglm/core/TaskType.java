package io.openautoglm.core;

/** The tasks a {@link TaskPipeline} can run. */
public enum TaskType {
    /** One label per text, out of a fixed label set. Metrics: accuracy, macro-F1, per-label P/R/F1. */
    TEXT_CLASSIFICATION,
    /** Typed entity spans with character offsets. Metrics: entity-level exact-match P/R/F1 per type. */
    NAMED_ENTITY_RECOGNITION,
    /** Whether two texts mean the same. Metrics: pair accuracy and F1 of the positive class. */
    SEMANTIC_MATCHING
}
