package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * A dense layer on each node's own input, {@code H' = X W + b}, with no message passing. It is the
 * per-node half of decoupled models (APPNP, DAGNN), whose graph propagation comes after the last layer
 * (see {@link AdaptivePropagation}); in a stack it also lets the search keep one layer local.
 *
 * <pre>{@code
 * LinearConv dense = new LinearConv(manager, 1433, 64, new Random(1));
 * }</pre>
 */
public final class LinearConv extends GraphConv {
    private final NDArray weight;
    private final NDArray bias;

    public LinearConv(NDManager manager, int inDim, int outDim, Random rnd) {
        super(inDim, outDim);
        this.weight = register(Ops.glorot(manager, rnd, inDim, outDim, new Shape(inDim, outDim)));
        this.bias = register(Ops.zeros(manager, new Shape(outDim)));
    }

    @Override
    public NDArray forward(GraphStructure graph, NodeInput x, float dropout, boolean training) {
        return x.project(weight, dropout, training).add(bias);
    }
}
