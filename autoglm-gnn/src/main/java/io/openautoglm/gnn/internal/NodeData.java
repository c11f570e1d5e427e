package io.openautoglm.gnn.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.nn.GraphStructure;
import io.openautoglm.gnn.nn.NodeInput;

/**
 * Tensors of one graph for node classification, built once per fit and shared by every trial: the
 * structure, the features and the split indices with their one-hot labels. Owns a child manager.
 */
public final class NodeData implements AutoCloseable {
    final Graph graph;
    final NDManager manager;
    final GraphStructure structure;
    final NodeInput features;
    final int numClasses;
    final int[] train;
    final int[] val;
    final int[] test;
    final NDArray trainIdx;
    final NDArray valIdx;
    final NDArray trainOneHot;
    final NDArray valOneHot;
    final int[] labels;

    public NodeData(NDManager parent, Graph graph) {
        this(parent, graph, graph.numClasses(), true);
    }

    /**
     * @param numClasses classes of the model that will read this data
     * @param training whether the data is for training (then a train split is required)
     */
    public NodeData(NDManager parent, Graph graph, int numClasses, boolean training) {
        this.graph = graph;
        this.manager = parent.newSubManager();
        this.structure = GraphStructure.of(manager, graph);
        this.features = NodeInput.features(manager, graph);
        this.numClasses = numClasses;
        this.labels = graph.labels();
        this.train = graph.nodesIn(Graph.Split.TRAIN);
        this.val = graph.nodesIn(Graph.Split.VAL);
        this.test = graph.nodesIn(Graph.Split.TEST);
        if (training && train.length == 0) {
            throw new IllegalArgumentException(
                    graph.name() + ": no node in the train split; node classification needs labelled train nodes");
        }
        if (training && val.length == 0) {
            // early stopping and every choice of the search then follow training accuracy, which only rises
            org.slf4j.LoggerFactory.getLogger(NodeData.class)
                    .warn(
                            "{}: no node in the val split; validation uses the "
                                    + "train nodes, so early stopping and the search select on training accuracy",
                            graph.name());
        }
        if (training) {
            this.trainIdx = index(train);
            this.valIdx = index(val.length > 0 ? val : train);
            this.trainOneHot = oneHot(train);
            this.valOneHot = oneHot(val.length > 0 ? val : train);
        } else {
            this.trainIdx = null;
            this.valIdx = null;
            this.trainOneHot = null;
            this.valOneHot = null;
        }
    }

    /**
     * The same graph tensors (shared with {@code base}, not owned) with more train nodes: {@code extra},
     * labelled {@code extraLabels} (pseudo-labels of self-training). Owns only its own index arrays.
     */
    NodeData(NodeData base, int[] extra, int[] extraLabels) {
        this.graph = base.graph;
        this.manager = base.manager.newSubManager();
        this.structure = base.structure;
        this.features = base.features;
        this.numClasses = base.numClasses;
        this.labels = base.labels.clone();
        this.train = java.util.Arrays.copyOf(base.train, base.train.length + extra.length);
        for (int i = 0; i < extra.length; i++) {
            labels[extra[i]] = extraLabels[i];
            train[base.train.length + i] = extra[i];
        }
        this.val = base.val;
        this.test = base.test;
        this.trainIdx = index(train);
        this.valIdx = index(val.length > 0 ? val : base.train);
        this.trainOneHot = oneHot(train);
        this.valOneHot = oneHot(val.length > 0 ? val : base.train);
    }

    private NDArray index(int[] nodes) {
        long[] l = new long[nodes.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = nodes[i];
        }
        return manager.create(l);
    }

    private NDArray oneHot(int[] nodes) {
        long[] l = new long[nodes.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[nodes[i]];
        }
        return manager.create(l).oneHot(numClasses, DataType.FLOAT32);
    }

    public Graph graph() {
        return graph;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
