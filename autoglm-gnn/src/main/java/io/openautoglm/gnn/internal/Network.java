package io.openautoglm.gnn.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.nn.AdaptivePropagation;
import io.openautoglm.gnn.nn.GATConv;
import io.openautoglm.gnn.nn.GCNConv;
import io.openautoglm.gnn.nn.GraphConv;
import io.openautoglm.gnn.nn.GraphStructure;
import io.openautoglm.gnn.nn.LinearConv;
import io.openautoglm.gnn.nn.NodeInput;
import io.openautoglm.gnn.nn.SAGEConv;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A stack of graph layers built from an {@link Architecture}. Not thread-safe. */
public final class Network {
    private final Architecture arch;
    private final List<GraphConv> layers = new ArrayList<>();
    private final AdaptivePropagation propagation;
    private final List<NDArray> params = new ArrayList<>();
    private final int inDim;
    private final int outDim;

    /**
     * @param outDim classes for node classification, embedding width for link prediction
     */
    public Network(NDManager manager, Architecture arch, int inDim, int outDim, long seed) {
        this.arch = arch;
        this.inDim = inDim;
        this.outDim = outDim;
        Random rnd = new Random(seed);
        int in = inDim;
        for (int i = 0; i < arch.layers(); i++) {
            boolean last = i == arch.layers() - 1;
            int out = last ? outDim : arch.hidden();
            GraphConv layer;
            switch (arch.operators().get(i)) {
                case GCN:
                    layer = new GCNConv(manager, in, out, arch.skip(), rnd);
                    break;
                case SAGE:
                    layer = new SAGEConv(manager, in, out, rnd);
                    break;
                case LINEAR:
                    layer = new LinearConv(manager, in, out, rnd);
                    break;
                case GAT:
                    if (last) {
                        // one averaged output head, as the GAT paper does for Cora and CiteSeer
                        layer = new GATConv(manager, in, 1, out, false, arch.skip(), rnd);
                    } else {
                        int heads = Math.min(arch.heads(), arch.hidden());
                        layer = new GATConv(
                                manager, in, heads, Math.max(1, arch.hidden() / heads), true, arch.skip(), rnd);
                    }
                    break;
                default:
                    throw new IllegalStateException(
                            "unknown operator " + arch.operators().get(i));
            }
            layers.add(layer);
            params.addAll(layer.parameters());
            in = layer.outDim();
        }
        if (arch.propagation() > 0) {
            propagation = new AdaptivePropagation(manager, in, arch.propagation(), rnd);
            params.addAll(propagation.parameters());
        } else {
            propagation = null;
        }
    }

    public Architecture architecture() {
        return arch;
    }

    public int inDim() {
        return inDim;
    }

    public int outDim() {
        return outDim;
    }

    public List<NDArray> parameters() {
        return params;
    }

    /** Forward pass; the last layer has no activation (propagation, when asked for, follows it). */
    public NDArray forward(GraphStructure graph, NodeInput x, boolean training) {
        float p = (float) arch.dropout();
        NodeInput in = x;
        NDArray h = null;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(graph, in, p, training);
            if (i < layers.size() - 1) {
                h = activate(h);
                in = NodeInput.dense(h);
            }
        }
        return propagation == null ? h : propagation.forward(graph, h);
    }

    private NDArray activate(NDArray h) {
        switch (arch.activation()) {
            case RELU:
                return Activation.relu(h);
            case ELU:
                return Activation.elu(h, 1f);
            case LEAKY_RELU:
                return Activation.leakyRelu(h, 0.2f);
            case TANH:
                return Activation.tanh(h);
            default:
                throw new IllegalStateException("unknown activation " + arch.activation());
        }
    }

    /** Copies of all parameter values (to keep the best epoch's weights). */
    public float[][] snapshot() {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).toFloatArray();
        }
        return s;
    }

    /** Restores values taken by {@link #snapshot()}. */
    public void restore(float[][] s) {
        for (int i = 0; i < s.length; i++) {
            params.get(i).set(FloatBuffer.wrap(s[i]));
        }
    }
}
