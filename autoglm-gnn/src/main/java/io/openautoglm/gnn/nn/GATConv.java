package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Random;

/**
 * Graph attention (Veličković et al. 2018): per head, {@code e_ij = LeakyReLU(a_s·W x_j + a_d·W x_i)}
 * over the edges into i (self loop included), {@code α = softmax_j(e_ij)}, {@code h'_i = Σ_j α_ij W
 * x_j}. Heads are concatenated ({@code concat}) or averaged. Dropout falls on the input and on α.
 *
 * <p>Sparse throughout: scores are gathered per edge and summed back per node with the constant
 * incidence matrix of {@link GraphStructure#attentionIncidence()}, so memory is O(E · heads · width).
 *
 * <pre>{@code
 * GATConv conv = new GATConv(manager, 1433, 8, 8, true, false, new Random(1)); // 8 heads × 8
 * }</pre>
 */
public final class GATConv extends GraphConv {
    private final int heads;
    private final int perHead;
    private final boolean concat;
    private final boolean skip;
    private final NDArray weight;
    private final NDArray attSrc;
    private final NDArray attDst;
    private final NDArray bias;

    /**
     * @param heads attention heads
     * @param perHead width of each head
     * @param concat concatenate heads (width heads × perHead) rather than average them (width perHead)
     * @param skip add a linear map of the input to the output
     */
    public GATConv(NDManager manager, int inDim, int heads, int perHead, boolean concat, boolean skip, Random rnd) {
        super(inDim, concat ? heads * perHead : perHead);
        this.heads = heads;
        this.perHead = perHead;
        this.concat = concat;
        this.skip = skip;
        long width = (long) heads * perHead;
        this.weight = register(Ops.glorot(manager, rnd, inDim, width, new Shape(inDim, skip ? width + outDim : width)));
        this.attSrc = register(Ops.glorot(manager, rnd, perHead, 1, new Shape(1, heads, perHead)));
        this.attDst = register(Ops.glorot(manager, rnd, perHead, 1, new Shape(1, heads, perHead)));
        this.bias = register(Ops.zeros(manager, new Shape(outDim)));
    }

    @Override
    public NDArray forward(GraphStructure graph, NodeInput x, float dropout, boolean training) {
        long width = (long) heads * perHead;
        NDArray p = x.project(weight, dropout, training);
        NDArray residual = null;
        if (skip) {
            NDList parts = p.split(new long[] {width}, 1);
            p = parts.get(0);
            residual = parts.get(1);
        }
        long n = p.getShape().get(0);
        NDArray h = p.reshape(n, heads, perHead);
        NDArray scoreSrc = h.mul(attSrc).sum(new int[] {2}); // (N, H)
        NDArray scoreDst = h.mul(attDst).sum(new int[] {2});
        NDArray src = graph.attentionSources();
        NDArray dst = graph.attentionTargets();
        NDArray e = Activation.leakyRelu(Ops.rows(scoreSrc, src).add(Ops.rows(scoreDst, dst)), 0.2f); // (E', H)
        // softmax is shift-invariant: each destination's own maximum keeps exp() finite and its largest term 1. A
        // global shift underflows every term of a node whose logits lie ~100 below the graph's largest (large raw
        // features), and that node would receive no message at all
        NDArray ex = e.sub(Ops.rows(graph.maxPerTarget(e), dst)).exp();
        NDArray incidence = graph.attentionIncidence();
        NDArray denom = incidence.matMul(ex); // (N, H)
        NDArray alpha = ex.div(Ops.rows(denom, dst).add(1e-16f));
        alpha = Ops.dropout(alpha, dropout, training);
        long m = alpha.getShape().get(0);
        NDArray messages = Ops.rows(h, src).mul(alpha.expandDims(2)).reshape(m, width);
        NDArray out = incidence.matMul(messages); // (N, H·F)
        if (!concat) {
            out = out.reshape(n, heads, perHead).mean(new int[] {1});
        }
        if (residual != null) {
            out = out.add(residual);
        }
        return out.add(bias);
    }
}
