package io.openautoglm.gnn.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.nn.GraphStructure;
import io.openautoglm.gnn.nn.NodeInput;
import java.util.HashSet;
import java.util.Set;

/** Tensors for link prediction on one split: message passing sees only the train edges. */
public final class LinkData implements AutoCloseable {
    final Graph graph;
    final LinkSplit split;
    final NDManager manager;
    final GraphStructure structure;
    final NodeInput features;
    final NDArray trainSrc;
    final NDArray trainDst;
    final Set<Long> trainKeys;

    public LinkData(NDManager parent, Graph graph, LinkSplit split) {
        this.graph = graph;
        this.split = split;
        this.manager = parent.newSubManager();
        this.structure = GraphStructure.of(manager, graph.numNodes(), split.trainSrc(), split.trainDst());
        this.features = NodeInput.features(manager, graph);
        this.trainSrc = manager.create(toLong(split.trainSrc()));
        this.trainDst = manager.create(toLong(split.trainDst()));
        this.trainKeys = new HashSet<>(split.trainSrc().length * 2);
        for (int i = 0; i < split.trainSrc().length; i++) {
            trainKeys.add(LinkSplit.key(split.trainSrc()[i], split.trainDst()[i]));
        }
    }

    public LinkSplit split() {
        return split;
    }

    public GraphStructure structure() {
        return structure;
    }

    public NodeInput features() {
        return features;
    }

    static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    @Override
    public void close() {
        manager.close();
    }
}
