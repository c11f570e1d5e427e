package io.openautoglm.gnn.internal;

import ai.djl.ndarray.NDManager;
import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.GnnTask;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.LinkDecoder;
import io.openautoglm.gnn.TrainingReport;
import java.util.function.BooleanSupplier;

/**
 * Trains throw-away models on tensors built once for the whole search (structure, features, split), so
 * a trial costs only its epochs. Owns native memory; not thread-safe.
 */
public final class TrialRunner implements AutoCloseable {
    private final GnnTask task;
    private final LinkDecoder decoder;
    private final NDManager root;
    private final NodeData nodeData;
    private final LinkData linkData;

    public TrialRunner(Graph graph, GnnTask task, LinkDecoder decoder, long splitSeed) {
        this.task = task;
        this.decoder = decoder;
        this.root = NDManager.newBaseManager("PyTorch");
        try {
            if (task == GnnTask.NODE_CLASSIFICATION) {
                nodeData = new NodeData(root, graph);
                linkData = null;
            } else {
                nodeData = null;
                linkData = new LinkData(root, graph, LinkSplit.of(graph, splitSeed));
            }
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    public TrainingReport run(Architecture arch, HyperParameters hp, long seed, BooleanSupplier stop) {
        if (task == GnnTask.NODE_CLASSIFICATION) {
            return NodeTrainer.train(nodeData, arch, hp, seed, false, stop).outcome();
        }
        return LinkTrainer.train(linkData, arch, hp, decoder, seed, false, stop).outcome();
    }

    @Override
    public void close() {
        root.close();
    }
}
