package io.openautoglm.gnn;

/**
 * What the graph model is trained for.
 *
 * <pre>{@code
 * AutoGnn.builder().task(GnnTask.LINK_PREDICTION).build().fit(graph);
 * }</pre>
 */
public enum GnnTask {
    /** Predict each node's class; trained with cross-entropy on the train split, scored by accuracy. */
    NODE_CLASSIFICATION,
    /**
     * Predict missing edges (GAE style): 85/5/10 edge split, negative sampling, scored by ROC AUC and
     * average precision.
     */
    LINK_PREDICTION
}
