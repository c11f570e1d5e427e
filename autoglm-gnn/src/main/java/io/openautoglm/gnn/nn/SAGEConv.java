package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * GraphSAGE with mean aggregation (Hamilton et al. 2017): {@code h'_i = W_s x_i + W_n mean_{j∈N(i)} x_j
 * + b}. The separate self weight keeps a node's own signal apart from its neighbours', which helps on
 * heterophilous graphs; it already acts as a skip connection, so no extra one is added.
 *
 * <pre>{@code
 * SAGEConv conv = new SAGEConv(manager, 1433, 64, new Random(1));
 * }</pre>
 */
public final class SAGEConv extends GraphConv {
    private final NDArray weight;
    private final NDArray bias;

    public SAGEConv(NDManager manager, int inDim, int outDim, Random rnd) {
        super(inDim, outDim);
        // [W_self | W_neigh] in one matrix: one projection of the (dropped-out) input serves both
        this.weight = register(Ops.glorot(manager, rnd, inDim, outDim, new Shape(inDim, 2L * outDim)));
        this.bias = register(Ops.zeros(manager, new Shape(outDim)));
    }

    @Override
    public NDArray forward(GraphStructure graph, NodeInput x, float dropout, boolean training) {
        // mean(x_j) W_n == mean(x_j W_n): aggregating after the projection keeps messages narrow
        NDList parts = x.project(weight, dropout, training).split(new long[] {outDim}, 1);
        return parts.get(0).add(graph.meanMatrix().matMul(parts.get(1))).add(bias);
    }
}
