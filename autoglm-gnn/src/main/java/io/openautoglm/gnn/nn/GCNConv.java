package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Graph convolution (Kipf and Welling 2017): {@code H' = Â (X W) + b} with {@code Â = D^-1/2 (A + I)
 * D^-1/2}. With {@code skip}, a second linear map of the input is added ({@code + X W_s}).
 *
 * <pre>{@code
 * GCNConv conv = new GCNConv(manager, 1433, 16, false, new Random(1));
 * NDArray h = conv.forward(structure, NodeInput.features(manager, graph), 0.5f, true);
 * }</pre>
 */
public final class GCNConv extends GraphConv {
    private final NDArray weight;
    private final NDArray bias;
    private final boolean skip;

    public GCNConv(NDManager manager, int inDim, int outDim, boolean skip, Random rnd) {
        super(inDim, outDim);
        this.skip = skip;
        this.weight = register(Ops.glorot(manager, rnd, inDim, outDim, new Shape(inDim, skip ? 2L * outDim : outDim)));
        this.bias = register(Ops.zeros(manager, new Shape(outDim)));
    }

    @Override
    public NDArray forward(GraphStructure graph, NodeInput x, float dropout, boolean training) {
        NDArray p = x.project(weight, dropout, training);
        if (!skip) {
            return graph.gcnMatrix().matMul(p).add(bias);
        }
        NDList parts = p.split(new long[] {outDim}, 1);
        return graph.gcnMatrix().matMul(parts.get(0)).add(parts.get(1)).add(bias);
    }
}
