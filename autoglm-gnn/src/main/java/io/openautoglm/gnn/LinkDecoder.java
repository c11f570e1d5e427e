package io.openautoglm.gnn;

/**
 * How a link-prediction model scores a node pair from the two node embeddings.
 *
 * <pre>{@code
 * AutoGnn.builder().task(GnnTask.LINK_PREDICTION).linkDecoder(LinkDecoder.MLP).build();
 * }</pre>
 */
public enum LinkDecoder {
    /** {@code z_u · z_v} (GAE). */
    DOT,
    /** A two-layer perceptron on {@code z_u ⊙ z_v}. */
    MLP
}
