package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A message-passing layer. Parameters are NDArrays that require gradients, created in the manager given
 * to the constructor; the caller runs {@link #forward} inside a {@code GradientCollector} and updates
 * {@link #parameters()} with its optimiser.
 *
 * <p>Not thread-safe.
 */
public abstract class GraphConv {
    private final List<NDArray> params = new ArrayList<>();
    protected final int inDim;
    protected final int outDim;

    protected GraphConv(int inDim, int outDim) {
        if (inDim < 1 || outDim < 1) {
            throw new IllegalArgumentException("inDim and outDim must be >= 1, were " + inDim + ", " + outDim);
        }
        this.inDim = inDim;
        this.outDim = outDim;
    }

    protected final NDArray register(NDArray p) {
        params.add(p);
        return p;
    }

    /** Input width. */
    public int inDim() {
        return inDim;
    }

    /** Output width. */
    public int outDim() {
        return outDim;
    }

    /** Trainable arrays, in a stable order. */
    public List<NDArray> parameters() {
        return Collections.unmodifiableList(params);
    }

    /**
     * Applies the layer: {@code dropout} falls on the input (and, for GAT, on attention weights).
     *
     * @return (N, outDim) node representations, before any activation
     */
    public abstract NDArray forward(GraphStructure graph, NodeInput x, float dropout, boolean training);
}
