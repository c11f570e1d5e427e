package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.openautoglm.gnn.Graph;

/**
 * Constant sparse tensors of one graph, built once and shared by every layer and every epoch: the GCN
 * propagation matrix {@code D^-1/2 (A + I) D^-1/2}, the SAGE mean matrix {@code D^-1 A}, and for GAT the
 * edge endpoints (self loops included) with a destination incidence matrix for per-node sums. Each is
 * built on first use.
 *
 * <p>Owns a child of the given manager; {@link #close()} frees the tensors. Not thread-safe.
 */
public final class GraphStructure implements AutoCloseable {
    private final NDManager manager;
    private final int numNodes;
    private final int[] und0;
    private final int[] und1;
    private final int[] degree;
    private NDArray gcn;
    private NDArray mean;
    private NDArray gatSrc;
    private NDArray gatDst;
    private NDArray gatIncidence;
    private int[] gatDstNodes;
    private float[] gcnValuesCache;

    private GraphStructure(NDManager parent, int numNodes, int[] und0, int[] und1) {
        this.manager = parent.newSubManager();
        this.numNodes = numNodes;
        this.und0 = und0.clone();
        this.und1 = und1.clone();
        this.degree = new int[numNodes];
        for (int i = 0; i < und0.length; i++) {
            degree[und0[i]]++;
            degree[und1[i]]++;
        }
    }

    /** Structure of a graph's edges. */
    public static GraphStructure of(NDManager parent, Graph graph) {
        return new GraphStructure(parent, graph.numNodes(), graph.edgeSources(), graph.edgeTargets());
    }

    /**
     * Structure of the given undirected edges (each unordered pair once, no self loops), e.g. the train
     * edges of a link-prediction split.
     */
    public static GraphStructure of(NDManager parent, int numNodes, int[] sources, int[] targets) {
        return new GraphStructure(parent, numNodes, sources, targets);
    }

    public int numNodes() {
        return numNodes;
    }

    /** Node degrees (undirected, self loops not counted). */
    public int[] degrees() {
        return degree.clone();
    }

    /** {@code D^-1/2 (A + I) D^-1/2} as an (N, N) sparse matrix, degrees counted with the self loop. */
    public NDArray gcnMatrix() {
        if (gcn == null) {
            int nnz = 2 * und0.length + numNodes;
            long[] row = new long[nnz];
            long[] col = new long[nnz];
            float[] val = new float[nnz];
            int k = 0;
            for (int i = 0; i < numNodes; i++) {
                row[k] = i;
                col[k] = i;
                val[k] = 1f / (degree[i] + 1);
                k++;
            }
            for (int e = 0; e < und0.length; e++) {
                int a = und0[e];
                int b = und1[e];
                float w = (float) (1.0 / Math.sqrt((degree[a] + 1.0) * (degree[b] + 1.0)));
                row[k] = a;
                col[k] = b;
                val[k++] = w;
                row[k] = b;
                col[k] = a;
                val[k++] = w;
            }
            gcnValuesCache = val;
            gcn = coo(row, col, val, numNodes, numNodes);
        }
        return gcn;
    }

    /** {@code D^-1 A} (mean over neighbours, no self loop) as an (N, N) sparse matrix. */
    public NDArray meanMatrix() {
        if (mean == null) {
            int nnz = 2 * und0.length;
            long[] row = new long[nnz];
            long[] col = new long[nnz];
            float[] val = new float[nnz];
            int k = 0;
            for (int e = 0; e < und0.length; e++) {
                int a = und0[e];
                int b = und1[e];
                row[k] = a;
                col[k] = b;
                val[k++] = 1f / degree[a];
                row[k] = b;
                col[k] = a;
                val[k++] = 1f / degree[b];
            }
            mean = coo(row, col, val, numNodes, numNodes);
        }
        return mean;
    }

    /** Source node of every directed edge used by attention, self loops included, as int64 (E'). */
    public NDArray attentionSources() {
        buildAttention();
        return gatSrc;
    }

    /** Destination node of every directed edge used by attention, as int64 (E'). */
    public NDArray attentionTargets() {
        buildAttention();
        return gatDst;
    }

    /**
     * For each destination node, the largest of the per-edge values arriving at it, per column: (E', H) in, (N, H)
     * out, without gradient (a constant, e.g. a softmax shift). Computed on the Java side, as DJL has no
     * scatter-max; every node has its self loop, so every row has a value.
     */
    public NDArray maxPerTarget(NDArray edgeValues) {
        buildAttention();
        int cols = (int) edgeValues.getShape().get(1);
        float[] v = edgeValues.toFloatArray();
        float[] max = new float[numNodes * cols];
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int e = 0; e < gatDstNodes.length; e++) {
            int base = gatDstNodes[e] * cols;
            for (int c = 0; c < cols; c++) {
                max[base + c] = Math.max(max[base + c], v[e * cols + c]);
            }
        }
        return edgeValues.getManager().create(max, new Shape(numNodes, cols));
    }

    /** (N, E') sparse matrix with a 1 at (destination, edge): sums per-edge values into nodes. */
    public NDArray attentionIncidence() {
        buildAttention();
        return gatIncidence;
    }

    private void buildAttention() {
        if (gatSrc != null) {
            return;
        }
        int m = 2 * und0.length + numNodes;
        long[] src = new long[m];
        long[] dst = new long[m];
        long[] pos = new long[m];
        float[] ones = new float[m];
        int k = 0;
        for (int i = 0; i < numNodes; i++) {
            src[k] = i;
            dst[k] = i;
            k++;
        }
        for (int e = 0; e < und0.length; e++) {
            src[k] = und0[e];
            dst[k] = und1[e];
            k++;
            src[k] = und1[e];
            dst[k] = und0[e];
            k++;
        }
        for (int i = 0; i < m; i++) {
            pos[i] = i;
            ones[i] = 1f;
        }
        gatDstNodes = new int[m];
        for (int i = 0; i < m; i++) {
            gatDstNodes[i] = (int) dst[i];
        }
        gatSrc = manager.create(src);
        gatDst = manager.create(dst);
        gatIncidence = coo(dst, pos, ones, numNodes, m);
        // built lazily, possibly inside a caller's NDScope: these must outlive it
        NDScope.unregister(gatSrc, gatDst);
    }

    /** Values of {@link #gcnMatrix()} in construction order (diagonal first), for tests. */
    float[] gcnValues() {
        gcnMatrix();
        return gcnValuesCache.clone();
    }

    private NDArray coo(long[] row, long[] col, float[] val, long rows, long cols) {
        NDArray matrix = Ops.coo(manager, row, col, val, new Shape(rows, cols));
        // built lazily, possibly inside a caller's NDScope: the matrix must outlive it
        NDScope.unregister(matrix);
        return matrix;
    }

    @Override
    public void close() {
        manager.close();
    }
}
