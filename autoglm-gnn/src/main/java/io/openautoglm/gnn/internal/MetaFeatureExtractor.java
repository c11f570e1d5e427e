package io.openautoglm.gnn.internal;

import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.MetaFeatures;
import java.util.Arrays;
import java.util.Random;

/** Computes {@link MetaFeatures}: plain Java over the edge list, O(E + Σ deg²) at most. */
public final class MetaFeatureExtractor {
    /** Above this many nodes the clustering coefficient is estimated on a sample. */
    static final int EXACT_CLUSTERING_LIMIT = 20_000;

    private static final int CLUSTERING_SAMPLE = 5_000;
    private static final int MIN_HOMOPHILY_EDGES = 20;

    private MetaFeatureExtractor() {}

    public static MetaFeatures compute(Graph g) {
        int n = g.numNodes();
        int m = g.numEdges();
        int[] src = g.edgeSources();
        int[] dst = g.edgeTargets();
        int[] deg = g.degrees();
        int[][] adj = adjacency(n, src, dst, deg);

        int[] sorted = deg.clone();
        Arrays.sort(sorted);
        double mean = 2.0 * m / n;
        double var = 0;
        int isolated = 0;
        for (int d : deg) {
            var += (d - mean) * (d - mean);
            if (d == 0) {
                isolated++;
            }
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        double density = n > 1 ? 2.0 * m / ((double) n * (n - 1)) : 0;

        double clustering = clustering(adj, n);

        int[] labels = g.labels();
        boolean[] train = new boolean[n];
        boolean[] trainVal = new boolean[n];
        for (int i = 0; i < n; i++) {
            train[i] = g.split(i) == Graph.Split.TRAIN && labels[i] >= 0;
            trainVal[i] = train[i] || (g.split(i) == Graph.Split.VAL && labels[i] >= 0);
        }
        double[] h = homophily(src, dst, labels, train);
        String source = "train";
        if (h[1] < MIN_HOMOPHILY_EDGES) {
            h = homophily(src, dst, labels, trainVal);
            source = "train+val";
        }

        long nnz = g.featureNonZeros();
        double sparsity = 1.0 - nnz / ((double) n * g.numFeatures());

        int classes = Math.max(g.numClasses(), 1);
        int[] counts = new int[classes];
        int nTrain = 0;
        for (int i = 0; i < n; i++) {
            if (train[i]) {
                counts[labels[i]]++;
                nTrain++;
            }
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        double balance = max == 0 ? Double.NaN : min / (double) max;

        return new MetaFeatures(
                n,
                m,
                g.numFeatures(),
                g.numClasses(),
                density,
                sorted[0],
                sorted[n - 1],
                mean,
                median,
                Math.sqrt(var / n),
                isolated / (double) n,
                clustering,
                h[0],
                (int) h[1],
                source,
                sparsity,
                balance,
                nTrain / (double) n,
                g.nodesIn(Graph.Split.NONE).length / (double) n);
    }

    /** Sorted neighbour lists. */
    static int[][] adjacency(int n, int[] src, int[] dst, int[] deg) {
        int[][] adj = new int[n][];
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            adj[i] = new int[deg[i]];
        }
        for (int e = 0; e < src.length; e++) {
            adj[src[e]][fill[src[e]]++] = dst[e];
            adj[dst[e]][fill[dst[e]]++] = src[e];
        }
        for (int[] a : adj) {
            Arrays.sort(a);
        }
        return adj;
    }

    /** Average local clustering (networkx convention: degree below 2 counts as 0). */
    static double clustering(int[][] adj, int n) {
        int[] nodes;
        if (n <= EXACT_CLUSTERING_LIMIT) {
            nodes = new int[n];
            for (int i = 0; i < n; i++) {
                nodes[i] = i;
            }
        } else {
            Random rnd = new Random(0x5eed);
            nodes = new int[CLUSTERING_SAMPLE];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = rnd.nextInt(n);
            }
        }
        double sum = 0;
        for (int v : nodes) {
            int[] nb = adj[v];
            int d = nb.length;
            if (d < 2) {
                continue;
            }
            long links = 0;
            for (int i = 0; i < d; i++) {
                links += intersect(adj[nb[i]], nb);
            }
            // each link between two neighbours was counted from both ends
            sum += (links / 2.0) / ((double) d * (d - 1) / 2.0);
        }
        return sum / nodes.length;
    }

    private static int intersect(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int c = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                c++;
                i++;
                j++;
            }
        }
        return c;
    }

    /** {homophily, edges counted} over edges whose endpoints are both in {@code known}. */
    static double[] homophily(int[] src, int[] dst, int[] labels, boolean[] known) {
        int same = 0;
        int total = 0;
        for (int e = 0; e < src.length; e++) {
            if (known[src[e]] && known[dst[e]]) {
                total++;
                if (labels[src[e]] == labels[dst[e]]) {
                    same++;
                }
            }
        }
        return new double[] {total == 0 ? Double.NaN : same / (double) total, total};
    }
}
