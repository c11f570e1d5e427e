package io.openautoglm.gnn;

import io.openautoglm.gnn.internal.FolderReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable attributed graph: nodes with features (sparse or dense), class labels, a train/val/test
 * split, and undirected edges.
 *
 * <p>Four ways in:
 *
 * <pre>{@code
 * // 1. the plain folder format of shared/datasets/graph (nodes.csv, features.txt, edges.csv)
 * Graph cora = Graph.fromDirectory(Path.of("../shared/datasets/graph/cora"));
 *
 * // 2. indices you already have
 * Graph g = Graph.builder(3)
 *     .denseFeatures(new float[][] {{1, 0}, {0, 1}, {1, 1}})
 *     .labels(new int[] {0, 1, 0})
 *     .splits(new Graph.Split[] {Graph.Split.TRAIN, Graph.Split.VAL, Graph.Split.TEST})
 *     .edge(0, 1).edge(1, 2)
 *     .build();
 *
 * // 3. your own node table and edge list, from any autoglm-data source (CSV, JSONL, JDBC)
 * Graph h = GraphLoader.builder()
 *     .nodes(DataLoader.fromCsv(Path.of("users.csv")), "user_id")
 *     .label("segment").split("split").features("age", "spend")
 *     .edges(DataLoader.fromJdbc(dataSource, "SELECT a, b FROM follows"), "a", "b")
 *     .build()
 *     .load();
 *
 * // 4. rows already in memory, keyed by your own ids
 * Graph k = Graph.fromEdgeList("crm",
 *     List.of(new Graph.Node("u1", x1, 0, Graph.Split.TRAIN), new Graph.Node("u2", x2, -1, Graph.Split.NONE)),
 *     List.of(new Graph.Edge("u1", "u2")));
 * }</pre>
 *
 * <p>Edges are stored once per unordered pair ({@code source < target}); self loops and duplicates in
 * the input are dropped because every operator adds its own self loops where it needs them. Bad input
 * fails with a {@link GraphFormatException} naming the file and line (or the record).
 *
 * <p>Thread-safe: instances never change after construction.
 */
public final class Graph {

    /** Which part of the split a node belongs to. */
    public enum Split {
        TRAIN,
        VAL,
        TEST,
        /** In no split: its label (if any) is never used. */
        NONE
    }

    /**
     * One row of a node table keyed by the caller's own id.
     *
     * @param id unique node id
     * @param features dense feature row (all rows the same length)
     * @param label class index, or -1 when unknown
     * @param split which split the node is in
     */
    public record Node(String id, float[] features, int label, Split split) {
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(split, "split");
        }
    }

    /** One undirected edge between two node ids of a node table. */
    public record Edge(String source, String target) {
        public Edge {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }
    }

    private final String name;
    private final int numNodes;
    private final int numFeatures;
    // CSR when sparse, row-major dense otherwise; exactly one of the two layouts is set
    private final int[] rowPtr;
    private final int[] colIdx;
    private final float[] values;
    private final float[] dense;
    private final int[] labels;
    private final int numClasses;
    private final List<String> classNames; // null: labels were given as indices
    private final Split[] splits;
    private final int[] edgeSource;
    private final int[] edgeTarget;

    private Graph(
            String name,
            int numNodes,
            int numFeatures,
            int[] rowPtr,
            int[] colIdx,
            float[] values,
            float[] dense,
            int[] labels,
            List<String> classNames,
            Split[] splits,
            int[] edgeSource,
            int[] edgeTarget) {
        this.name = name;
        this.numNodes = numNodes;
        this.numFeatures = numFeatures;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
        this.dense = dense;
        this.labels = labels;
        this.classNames = classNames;
        this.splits = splits;
        this.edgeSource = edgeSource;
        this.edgeTarget = edgeTarget;
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        this.numClasses = classNames == null ? max + 1 : classNames.size();
    }

    // ---------------------------------------------------------------- loading

    /**
     * Reads the plain folder format: {@code nodes.csv} (header {@code id,label,split}, ids 0..N-1 in
     * order, label -1 for unknown), {@code features.txt} (line k holds node k as space-separated {@code
     * index:value} pairs, 0-based increasing indices, empty line for an all-zero row) and {@code
     * edges.csv} (header {@code src,dst}). The feature count is the largest index plus one.
     *
     * <p>The two CSV files are read through autoglm-data's CSV loader, so their errors (a missing column,
     * a row with too few fields, bytes not valid UTF-8) read like every other loader's; {@code
     * features.txt} is not CSV and has its own reader. For other sources use {@link GraphLoader}.
     *
     * @throws GraphFormatException naming file and line for malformed input, e.g. {@code
     *     .../edges.csv:5: unknown node id 9 in dst; nodes.csv has ids 0..3}
     * @throws UncheckedIOException when {@code features.txt} cannot be read
     */
    public static Graph fromDirectory(Path dir) {
        return fromDirectory(dir, -1);
    }

    /**
     * Like {@link #fromDirectory(Path)} but with a declared feature count: an index at or beyond it is an
     * error (use this to load a graph for a model trained on {@code numFeatures} inputs).
     */
    public static Graph fromDirectory(Path dir, int numFeatures) {
        return FolderReader.read(dir, numFeatures);
    }

    /**
     * Builds a graph from node and edge rows already in memory, keyed by the caller's ids. Node order is
     * table order; every row must have the same feature length. To read them from a CSV or JSONL file or
     * a SQL query, use {@link GraphLoader}.
     *
     * @param sourceName named in error messages (e.g. the table or file name)
     * @throws GraphFormatException for a duplicate node id, an edge naming an unknown id, ragged
     *     features, or an invalid label
     */
    public static Graph fromEdgeList(String sourceName, List<Node> nodes, Iterable<Edge> edges) {
        Map<String, Integer> index = new HashMap<>(nodes.size() * 2);
        int n = nodes.size();
        if (n == 0) {
            throw new GraphFormatException(sourceName, 0, "node table is empty");
        }
        int dim = nodes.get(0).features().length;
        float[][] rows = new float[n][];
        int[] labels = new int[n];
        Split[] splits = new Split[n];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            if (index.put(node.id(), i) != null) {
                throw new GraphFormatException(sourceName, i + 1, "duplicate node id '" + node.id() + "'");
            }
            if (node.features().length != dim) {
                throw new GraphFormatException(
                        sourceName,
                        i + 1,
                        "node '" + node.id() + "' has " + node.features().length + " features, expected " + dim);
            }
            if (node.label() < -1) {
                throw new GraphFormatException(
                        sourceName,
                        i + 1,
                        "node '" + node.id() + "' has label " + node.label() + "; use -1 for unknown");
            }
            rows[i] = node.features();
            labels[i] = node.label();
            splits[i] = node.split();
        }
        Builder b =
                builder(n).name(sourceName).denseFeatures(rows).labels(labels).splits(splits);
        long k = 0;
        for (Edge e : edges) {
            k++;
            Integer s = index.get(e.source());
            Integer t = index.get(e.target());
            if (s == null || t == null) {
                throw new GraphFormatException(
                        sourceName + " edges",
                        k,
                        "edge (" + e.source() + ", " + e.target() + ") names unknown node id '"
                                + (s == null ? e.source() : e.target()) + "'");
            }
            b.edge(s, t);
        }
        return b.build();
    }

    /** A builder for a graph of {@code numNodes} nodes indexed 0..numNodes-1. */
    public static Builder builder(int numNodes) {
        return new Builder(numNodes);
    }

    // ---------------------------------------------------------------- accessors

    /** Name given at load time (folder name, source name), used in logs and provenance. */
    public String name() {
        return name;
    }

    public int numNodes() {
        return numNodes;
    }

    public int numFeatures() {
        return numFeatures;
    }

    /** Number of undirected edges (each unordered pair once). */
    public int numEdges() {
        return edgeSource.length;
    }

    /** Number of classes: the number of class names when labels were read as names, else the largest label plus one. */
    public int numClasses() {
        return numClasses;
    }

    /**
     * The class names, indexed by label: those read from a node table ({@link GraphLoader}) or given to
     * {@link Builder#classNames}; else the labels themselves, {@code "0"} to {@code numClasses() - 1}.
     */
    public List<String> classNames() {
        if (classNames != null) {
            return classNames;
        }
        List<String> names = new java.util.ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            names.add(Integer.toString(c));
        }
        return List.copyOf(names);
    }

    /** Whether features are held sparse (CSR) rather than dense. */
    public boolean sparseFeatures() {
        return dense == null;
    }

    /** Number of non-zero feature entries (a sparse row may store an explicit zero: it is not counted). */
    public long featureNonZeros() {
        long nz = 0;
        for (float v : dense == null ? values : dense) {
            if (v != 0f) {
                nz++;
            }
        }
        return nz;
    }

    /** Label of a node, -1 when unknown. */
    public int label(int node) {
        return labels[node];
    }

    /** A copy of all labels (-1 = unknown). */
    public int[] labels() {
        return labels.clone();
    }

    public Split split(int node) {
        return splits[node];
    }

    /** Ids of the nodes in one split, increasing. */
    public int[] nodesIn(Split split) {
        int c = 0;
        for (Split s : splits) {
            if (s == split) {
                c++;
            }
        }
        int[] out = new int[c];
        c = 0;
        for (int i = 0; i < numNodes; i++) {
            if (splits[i] == split) {
                out[c++] = i;
            }
        }
        return out;
    }

    /** Smaller endpoint of each undirected edge (copy). */
    public int[] edgeSources() {
        return edgeSource.clone();
    }

    /** Larger endpoint of each undirected edge (copy). */
    public int[] edgeTargets() {
        return edgeTarget.clone();
    }

    /** Degree of every node (undirected, no self loops). */
    public int[] degrees() {
        int[] d = new int[numNodes];
        for (int i = 0; i < edgeSource.length; i++) {
            d[edgeSource[i]]++;
            d[edgeTarget[i]]++;
        }
        return d;
    }

    /**
     * Visits the non-zero features of one node. Internal fast path for the engine; callers normally do
     * not need it.
     */
    public void forEachFeature(int node, FeatureVisitor visitor) {
        if (dense == null) {
            for (int k = rowPtr[node]; k < rowPtr[node + 1]; k++) {
                visitor.accept(colIdx[k], values[k]);
            }
        } else {
            int base = node * numFeatures;
            for (int j = 0; j < numFeatures; j++) {
                float v = dense[base + j];
                if (v != 0f) {
                    visitor.accept(j, v);
                }
            }
        }
    }

    /** Receives one non-zero feature. */
    @FunctionalInterface
    public interface FeatureVisitor {
        void accept(int index, float value);
    }

    /**
     * A graph with the same nodes, features, labels and split but only the given undirected edges (used
     * for link prediction, where held-out edges must not be seen).
     */
    public Graph withEdges(int[] sources, int[] targets) {
        Builder b = new Builder(numNodes).name(name).labels(labels).splits(splits);
        b.classNames = classNames;
        b.rowPtr = rowPtr;
        b.colIdx = colIdx;
        b.values = values;
        b.dense = dense;
        b.numFeatures = numFeatures;
        b.edges(sources, targets);
        return b.build();
    }

    @Override
    public String toString() {
        return "Graph[" + name + ": " + numNodes + " nodes, " + numEdges() + " edges, " + numFeatures + " features, "
                + numClasses + " classes]";
    }

    // ---------------------------------------------------------------- builder

    /**
     * Collects a graph's parts; {@link #build()} validates and copies them. Not thread-safe.
     */
    public static final class Builder {
        private final int numNodes;
        private String name = "graph";
        private int numFeatures = -1;
        private int[] rowPtr;
        private int[] colIdx;
        private float[] values;
        private float[] dense;
        private int[] labels;
        private List<String> classNames;
        private Split[] splits;
        private int[] src = new int[16];
        private int[] dst = new int[16];
        private int edgeCount;

        private Builder(int numNodes) {
            if (numNodes <= 0) {
                throw new IllegalArgumentException("numNodes must be > 0, was " + numNodes);
            }
            this.numNodes = numNodes;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Dense features, one row per node, all rows the same length. */
        public Builder denseFeatures(float[][] rows) {
            if (rows.length != numNodes) {
                throw new IllegalArgumentException(
                        "denseFeatures has " + rows.length + " rows, expected numNodes=" + numNodes);
            }
            int d = rows[0].length;
            if (d == 0) {
                throw new IllegalArgumentException(
                        "denseFeatures: rows have no columns; a node needs at least one feature");
            }
            float[] flat = new float[numNodes * d];
            for (int i = 0; i < numNodes; i++) {
                if (rows[i].length != d) {
                    throw new IllegalArgumentException(
                            "denseFeatures row " + i + " has length " + rows[i].length + ", expected " + d);
                }
                for (int j = 0; j < d; j++) {
                    // one NaN would make every prediction NaN, silently
                    if (!Float.isFinite(rows[i][j])) {
                        throw new IllegalArgumentException("denseFeatures row " + i + ", column " + j + ": "
                                + rows[i][j] + " is not a finite number");
                    }
                }
                System.arraycopy(rows[i], 0, flat, i * d, d);
            }
            this.dense = flat;
            this.numFeatures = d;
            this.rowPtr = null;
            this.colIdx = null;
            this.values = null;
            return this;
        }

        /**
         * Sparse features: for node i, {@code indices[i]} (increasing, each in [0, numFeatures)) and the
         * matching {@code values[i]}.
         */
        public Builder sparseFeatures(int numFeatures, int[][] indices, float[][] values) {
            if (numFeatures <= 0) {
                throw new IllegalArgumentException("numFeatures must be > 0, was " + numFeatures);
            }
            if (indices.length != numNodes || values.length != numNodes) {
                throw new IllegalArgumentException("sparseFeatures needs numNodes=" + numNodes + " rows, got "
                        + indices.length + " / " + values.length);
            }
            int[] ptr = new int[numNodes + 1];
            for (int i = 0; i < numNodes; i++) {
                if (indices[i].length != values[i].length) {
                    throw new IllegalArgumentException(
                            "sparseFeatures row " + i + ": indices and values differ in length");
                }
                ptr[i + 1] = ptr[i] + indices[i].length;
            }
            int[] col = new int[ptr[numNodes]];
            float[] val = new float[ptr[numNodes]];
            for (int i = 0; i < numNodes; i++) {
                int prev = -1;
                for (int k = 0; k < indices[i].length; k++) {
                    int j = indices[i][k];
                    if (j < 0 || j >= numFeatures) {
                        throw new IllegalArgumentException("sparseFeatures row " + i + ": feature index " + j
                                + " out of range [0, " + numFeatures + ")");
                    }
                    if (j <= prev) {
                        throw new IllegalArgumentException(
                                "sparseFeatures row " + i + ": indices must increase, saw " + prev + " then " + j);
                    }
                    prev = j;
                    if (!Float.isFinite(values[i][k])) {
                        throw new IllegalArgumentException("sparseFeatures row " + i + ", feature " + j + ": "
                                + values[i][k] + " is not a finite number");
                    }
                    col[ptr[i] + k] = j;
                    val[ptr[i] + k] = values[i][k];
                }
            }
            this.rowPtr = ptr;
            this.colIdx = col;
            this.values = val;
            this.dense = null;
            this.numFeatures = numFeatures;
            return this;
        }

        /** Class index per node, -1 for unknown. */
        public Builder labels(int[] labels) {
            if (labels.length != numNodes) {
                throw new IllegalArgumentException(
                        "labels has " + labels.length + " entries, expected numNodes=" + numNodes);
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < -1) {
                    throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + "; use -1 for unknown");
                }
            }
            this.labels = labels.clone();
            return this;
        }

        /**
         * Names of the classes, indexed by label: every label must then be below their count, which becomes
         * {@link Graph#numClasses()}.
         */
        public Builder classNames(List<String> names) {
            List<String> copy = List.copyOf(names);
            if (copy.isEmpty() || new java.util.HashSet<>(copy).size() != copy.size()) {
                throw new IllegalArgumentException("classNames must be distinct and not empty, got " + names);
            }
            this.classNames = copy;
            return this;
        }

        /** Split per node. */
        public Builder splits(Split[] splits) {
            if (splits.length != numNodes) {
                throw new IllegalArgumentException(
                        "splits has " + splits.length + " entries, expected numNodes=" + numNodes);
            }
            for (int i = 0; i < splits.length; i++) {
                if (splits[i] == null) {
                    throw new IllegalArgumentException("splits[" + i + "] is null; use Split.NONE");
                }
            }
            this.splits = splits.clone();
            return this;
        }

        /** Adds one undirected edge; order of endpoints does not matter. */
        public Builder edge(int u, int v) {
            if (u < 0 || u >= numNodes || v < 0 || v >= numNodes) {
                throw new IllegalArgumentException(
                        "edge (" + u + ", " + v + ") has an endpoint outside [0, " + numNodes + ")");
            }
            if (edgeCount == src.length) {
                src = Arrays.copyOf(src, src.length * 2);
                dst = Arrays.copyOf(dst, dst.length * 2);
            }
            src[edgeCount] = u;
            dst[edgeCount] = v;
            edgeCount++;
            return this;
        }

        /** Adds undirected edges {@code (sources[i], targets[i])}. */
        public Builder edges(int[] sources, int[] targets) {
            if (sources.length != targets.length) {
                throw new IllegalArgumentException(
                        "edges: sources has " + sources.length + " entries but targets has " + targets.length);
            }
            for (int i = 0; i < sources.length; i++) {
                edge(sources[i], targets[i]);
            }
            return this;
        }

        /**
         * Validates and builds. Missing features become a single constant feature; missing labels become
         * -1; a missing split puts every node in {@link Split#NONE}.
         */
        public Graph build() {
            if (numFeatures < 0) {
                // a structure-only graph still needs an input signal: one constant feature per node
                dense = new float[numNodes];
                Arrays.fill(dense, 1f);
                numFeatures = 1;
            }
            int[] lab = labels != null ? labels : filled(numNodes, -1);
            Split[] sp = splits;
            if (sp == null) {
                sp = new Split[numNodes];
                Arrays.fill(sp, Split.NONE);
            }
            if (classNames != null) {
                for (int i = 0; i < numNodes; i++) {
                    if (lab[i] >= classNames.size()) {
                        throw new IllegalArgumentException("labels[" + i + "] = " + lab[i] + " but there are only "
                                + classNames.size() + " classNames " + classNames);
                    }
                }
            }
            for (int i = 0; i < numNodes; i++) {
                if ((sp[i] == Split.TRAIN || sp[i] == Split.VAL || sp[i] == Split.TEST) && lab[i] < 0) {
                    throw new IllegalArgumentException(
                            "node " + i + " is in split " + sp[i] + " but has no label; give it a label or Split.NONE");
                }
            }
            // canonical undirected edge set: (min, max) pairs, sorted, unique, no self loops
            long[] keys = new long[edgeCount];
            int k = 0;
            for (int i = 0; i < edgeCount; i++) {
                int a = Math.min(src[i], dst[i]);
                int b = Math.max(src[i], dst[i]);
                if (a != b) {
                    keys[k++] = ((long) a << 32) | b;
                }
            }
            keys = Arrays.copyOf(keys, k);
            Arrays.sort(keys);
            int m = 0;
            for (int i = 0; i < keys.length; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    keys[m++] = keys[i];
                }
            }
            int[] es = new int[m];
            int[] et = new int[m];
            for (int i = 0; i < m; i++) {
                es[i] = (int) (keys[i] >>> 32);
                et[i] = (int) keys[i];
            }
            return new Graph(name, numNodes, numFeatures, rowPtr, colIdx, values, dense, lab, classNames, sp, es, et);
        }

        private static int[] filled(int n, int v) {
            int[] a = new int[n];
            Arrays.fill(a, v);
            return a;
        }
    }
}
