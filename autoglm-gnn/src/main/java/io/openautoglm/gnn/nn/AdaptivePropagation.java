package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deep, parameter-light propagation with adaptive depth (Liu, Gao and Ji 2020, "Towards Deeper Graph
 * Neural Networks", DAGNN): {@code H_k = Â^k H} for {@code k = 0..K} with the GCN matrix {@code Â}, and
 * every node mixes its own hops, {@code out_i = Σ_k σ(H_k[i] · s + b) H_k[i]}. Propagating many hops
 * without a weight per hop reaches far into the graph without the overfitting of a deep GCN, and the
 * learned retention scores keep each node from being smoothed more than its neighbourhood warrants.
 *
 * <pre>{@code
 * AdaptivePropagation prop = new AdaptivePropagation(manager, 7, 10, new Random(1));
 * NDArray out = prop.forward(structure, logits);
 * }</pre>
 */
public final class AdaptivePropagation {
    private final int steps;
    private final NDArray score;
    private final NDArray bias;

    /**
     * @param dim width of the representations it propagates
     * @param steps hops K, at least 1
     */
    public AdaptivePropagation(NDManager manager, int dim, int steps, Random rnd) {
        if (dim < 1 || steps < 1) {
            throw new IllegalArgumentException("dim and steps must be >= 1, were " + dim + ", " + steps);
        }
        this.steps = steps;
        this.score = Ops.glorot(manager, rnd, dim, 1, new Shape(dim, 1));
        this.bias = Ops.zeros(manager, new Shape(1));
    }

    public int steps() {
        return steps;
    }

    /** The retention-score weights, in a stable order. */
    public List<NDArray> parameters() {
        return List.of(score, bias);
    }

    /** Propagates (N, dim) node representations K hops and mixes the hops per node. */
    public NDArray forward(GraphStructure graph, NDArray h) {
        NDArray a = graph.gcnMatrix();
        List<NDArray> hops = new ArrayList<>(steps + 1);
        hops.add(h);
        for (int k = 0; k < steps; k++) {
            hops.add(a.matMul(hops.get(k)));
        }
        NDArray out = null;
        for (NDArray hk : hops) {
            NDArray term = hk.mul(ai.djl.nn.Activation.sigmoid(hk.matMul(score).add(bias)));
            out = out == null ? term : out.add(term);
        }
        return out;
    }
}
