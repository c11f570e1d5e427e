package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.openautoglm.gnn.Graph;
import java.util.Random;

/**
 * The input of a layer, seen only through "drop out, then multiply by a weight matrix". Every operator
 * starts with a linear projection, so this is all a layer needs, and it lets sparse features stay
 * sparse: dropout falls on the stored non-zeros, never on a dense N × F mask (which dominated epoch time
 * on Cora in measurements on this machine).
 */
public interface NodeInput {

    /** Number of columns of the input. */
    long dim();

    /**
     * Returns {@code dropout(x) · w}.
     *
     * @param w weight of shape (dim, k)
     * @param dropout drop rate, applied only when {@code training}
     */
    NDArray project(NDArray w, float dropout, boolean training);

    /** Reseeds any random state this input keeps of its own (dropout masks drawn on the Java side). */
    default void reseed(long seed) {}

    /** Wraps a dense (N, d) array. */
    static NodeInput dense(NDArray x) {
        return new Dense(x);
    }

    /**
     * The graph's features, kept sparse when fewer than a quarter of the entries are non-zero. Sparse,
     * non-negative features (bag-of-words, as in the Planetoid files) are row-normalised, each row summing to
     * 1 as in the GCN reference code (all-zero rows stay zero); dense features (numeric columns, embeddings)
     * are used as given, since dividing a row by its sum would erase their sign and scale.
     */
    static NodeInput features(NDManager manager, Graph graph) {
        return features(manager, graph, graph.sparseFeatures() && nonNegative(graph));
    }

    private static boolean nonNegative(Graph graph) {
        boolean[] ok = {true};
        for (int i = 0; i < graph.numNodes() && ok[0]; i++) {
            graph.forEachFeature(i, (j, v) -> ok[0] &= v >= 0);
        }
        return ok[0];
    }

    /**
     * The graph's features, row-normalised or raw, kept sparse when fewer than a quarter of the entries
     * are non-zero.
     */
    static NodeInput features(NDManager manager, Graph graph, boolean rowNormalise) {
        int n = graph.numNodes();
        int d = graph.numFeatures();
        long nnz = graph.featureNonZeros();
        float[] rowSum = new float[n];
        for (int i = 0; i < n; i++) {
            final int row = i;
            graph.forEachFeature(i, (j, v) -> rowSum[row] += v);
        }
        if (nnz * 4 < (long) n * d) {
            long[] rows = new long[(int) nnz];
            long[] cols = new long[(int) nnz];
            float[] vals = new float[(int) nnz];
            int[] k = {0};
            for (int i = 0; i < n; i++) {
                final int row = i;
                final float s = rowSum[i] == 0f || !rowNormalise ? 1f : rowSum[i];
                graph.forEachFeature(i, (j, v) -> {
                    if (v == 0f) {
                        return; // an explicit zero stored in a sparse row: not an entry
                    }
                    rows[k[0]] = row;
                    cols[k[0]] = j;
                    vals[k[0]] = v / s;
                    k[0]++;
                });
            }
            return new SparseRows(manager, n, d, rows, cols, vals);
        }
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            final int base = i * d;
            final float s = rowSum[i] == 0f || !rowNormalise ? 1f : rowSum[i];
            graph.forEachFeature(i, (j, v) -> flat[base + j] = v / s);
        }
        return new Dense(manager.create(flat, new Shape(n, d)));
    }

    /** Dense input: dropout over all entries, then a matrix product. */
    final class Dense implements NodeInput {
        private final NDArray x;

        Dense(NDArray x) {
            this.x = x;
        }

        @Override
        public long dim() {
            return x.getShape().get(1);
        }

        @Override
        public NDArray project(NDArray w, float dropout, boolean training) {
            return Ops.dropout(x, dropout, training).matMul(w);
        }
    }

    /**
     * Sparse input kept as COO coordinates. Training builds a fresh sparse matrix per step whose values
     * are the dropped-out non-zeros (measured here about twice as fast as gathering W's rows and summing
     * them with a constant incidence matrix); evaluation reuses one constant matrix. Autograd flows into
     * {@code W} through the sparse × dense product.
     */
    final class SparseRows implements NodeInput {
        private final NDManager manager;
        private final long rows;
        private final long dim;
        private final long[] rowIdx;
        private final long[] colIdx;
        private final float[] vals;
        private final NDArray constant;
        private Random rng = new Random(0);

        SparseRows(NDManager m, int n, int d, long[] rows, long[] cols, float[] vals) {
            this.manager = m;
            this.rows = n;
            this.dim = d;
            this.rowIdx = rows;
            this.colIdx = cols;
            this.vals = vals;
            this.constant = coo(vals);
        }

        private NDArray coo(float[] v) {
            return Ops.coo(manager, rowIdx, colIdx, v, new Shape(rows, dim));
        }

        @Override
        public long dim() {
            return dim;
        }

        @Override
        public void reseed(long seed) {
            rng = new Random(seed);
        }

        @Override
        public NDArray project(NDArray w, float dropout, boolean training) {
            if (!training || dropout <= 0f) {
                return constant.matMul(w);
            }
            float keep = 1f - dropout;
            float scale = 1f / keep;
            float[] v = new float[vals.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextFloat() < keep ? vals[i] * scale : 0f;
            }
            return coo(v).matMul(w);
        }
    }
}
