package io.openautoglm.gnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.openautoglm.gnn.internal.LinkData;
import io.openautoglm.gnn.internal.LinkSplit;
import io.openautoglm.gnn.internal.LinkTrainer;
import io.openautoglm.gnn.internal.Network;
import io.openautoglm.gnn.internal.NodeData;
import io.openautoglm.gnn.internal.NodeTrainer;
import java.util.function.BooleanSupplier;

/**
 * A trained graph model with its provenance (architecture, hyper-parameters, seed, graph) and the
 * report of its training run. Holds native memory: close it.
 *
 * <pre>{@code
 * try (GnnModel model = GnnTrainer.builder().architecture(Architecture.gcnBaseline()).build().fit(graph, 42)) {
 *   int[] classes = model.predict();             // every node of the training graph
 *   int[] other = model.predict(anotherGraph);   // same feature width, any structure
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use one model from one thread at a time.
 */
public final class GnnModel implements AutoCloseable {
    private final GnnTrainer trainer;
    private final long seed;
    private final Graph graph;
    private final NDManager root;
    private final NodeData nodeData;
    private final LinkData linkData;
    private final Network network;
    private final LinkTrainer.Decoder linkDecoder;
    private final TrainingReport report;
    private boolean closed;

    private GnnModel(
            GnnTrainer trainer,
            long seed,
            Graph graph,
            NDManager root,
            NodeData nodeData,
            LinkData linkData,
            Network network,
            LinkTrainer.Decoder linkDecoder,
            TrainingReport report) {
        this.trainer = trainer;
        this.seed = seed;
        this.graph = graph;
        this.root = root;
        this.nodeData = nodeData;
        this.linkData = linkData;
        this.network = network;
        this.linkDecoder = linkDecoder;
        this.report = report;
    }

    /** Trains one model as {@code trainer} says; used by {@link GnnTrainer#fit}. */
    static GnnModel train(Graph graph, GnnTrainer trainer, long seed) {
        Architecture arch = trainer.architecture();
        HyperParameters hp = trainer.hyperParameters();
        BooleanSupplier stop = () -> false;
        NDManager root = NDManager.newBaseManager("PyTorch");
        try {
            if (trainer.task() == GnnTask.NODE_CLASSIFICATION) {
                NodeData data = new NodeData(root, graph);
                NodeTrainer.Result r = NodeTrainer.train(data, arch, hp, seed, true, stop);
                return new GnnModel(trainer, seed, graph, root, data, null, r.network(), null, r.outcome());
            }
            LinkData data = new LinkData(root, graph, LinkSplit.of(graph, trainer.splitSeed()));
            LinkTrainer.Result r = LinkTrainer.train(data, arch, hp, trainer.linkDecoder(), seed, true, stop);
            return new GnnModel(trainer, seed, graph, root, null, data, r.network(), r.decoder(), r.outcome());
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    public GnnTask task() {
        return trainer.task();
    }

    public Architecture architecture() {
        return trainer.architecture();
    }

    public HyperParameters hyperParameters() {
        return trainer.hyperParameters();
    }

    /** Decoder used for link prediction ({@link LinkDecoder#DOT} for node classification models). */
    public LinkDecoder linkDecoder() {
        return trainer.linkDecoder();
    }

    /** Seed of weight initialisation, dropout and negative sampling. */
    public long seed() {
        return seed;
    }

    /** The graph the model was trained on. */
    public Graph trainingGraph() {
        return graph;
    }

    /** Validation and test scores, epochs and timing of the training run. */
    public TrainingReport report() {
        return report;
    }

    /** Predicted class of every node of the training graph. */
    public int[] predict() {
        requireTask(GnnTask.NODE_CLASSIFICATION, "predict()");
        ensureOpen();
        return NodeTrainer.predict(network, nodeData);
    }

    /**
     * Predicted class name of every node of the training graph: {@link #predict()} through the graph's
     * {@link Graph#classNames()} (the names of a node table read by {@link GraphLoader}, say).
     */
    public java.util.List<String> predictClassNames() {
        java.util.List<String> names = graph.classNames();
        return java.util.Arrays.stream(predict()).mapToObj(names::get).toList();
    }

    /** Class probabilities of every node of the training graph, {@code [node][class]}. */
    public float[][] predictProbabilities() {
        requireTask(GnnTask.NODE_CLASSIFICATION, "predictProbabilities()");
        ensureOpen();
        return rows(NodeTrainer.probabilities(network, nodeData), network.outDim());
    }

    /**
     * Predicted class of every node of another graph with the same feature width (inductive use: the
     * graph's own edges are used for message passing).
     */
    public int[] predict(Graph other) {
        requireTask(GnnTask.NODE_CLASSIFICATION, "predict(Graph)");
        ensureOpen();
        if (other.numFeatures() != graph.numFeatures()) {
            throw new IllegalArgumentException("graph " + other.name() + " has " + other.numFeatures()
                    + " features; this model was trained on " + graph.numFeatures());
        }
        try (NodeData data = new NodeData(root, other, network.outDim(), false)) {
            return NodeTrainer.predict(network, data);
        }
    }

    /**
     * Probability that each pair {@code (sources[i], targets[i])} is an edge, from the embeddings computed
     * on the train edges of the link split.
     */
    public float[] scoreLinks(int[] sources, int[] targets) {
        requireTask(GnnTask.LINK_PREDICTION, "scoreLinks");
        ensureOpen();
        if (sources.length != targets.length) {
            throw new IllegalArgumentException("sources has " + sources.length + " entries, targets " + targets.length);
        }
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] < 0 || sources[i] >= graph.numNodes() || targets[i] < 0 || targets[i] >= graph.numNodes()) {
                throw new IllegalArgumentException("pair " + i + " (" + sources[i] + ", " + targets[i]
                        + ") is outside [0, " + graph.numNodes() + ")");
            }
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray z = network.forward(linkStructure(), linkFeatures(), false);
            NDArray s = linkDecoder.score(z, root.create(toLong(sources)), root.create(toLong(targets)));
            return ai.djl.nn.Activation.sigmoid(s).toFloatArray();
        }
    }

    /** Node embeddings (link prediction), {@code [node][dim]}. */
    public float[][] embeddings() {
        requireTask(GnnTask.LINK_PREDICTION, "embeddings()");
        ensureOpen();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return rows(network.forward(linkStructure(), linkFeatures(), false).toFloatArray(), network.outDim());
        }
    }

    /** The held-out pairs of the link split (link prediction only). */
    LinkSplit linkSplit() {
        return linkData.split();
    }

    private io.openautoglm.gnn.nn.GraphStructure linkStructure() {
        return linkData.structure();
    }

    private io.openautoglm.gnn.nn.NodeInput linkFeatures() {
        return linkData.features();
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    private static float[][] rows(float[] flat, int width) {
        float[][] out = new float[flat.length / width][width];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }

    private void requireTask(GnnTask expected, String method) {
        if (task() != expected) {
            throw new IllegalStateException(method + " needs a " + expected + " model; this one is " + task());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            root.close();
        }
    }

    @Override
    public String toString() {
        return "GnnModel[" + task() + ", " + architecture().describe() + ", "
                + hyperParameters().describe() + ", seed " + seed + ", " + graph.name() + "]";
    }
}
