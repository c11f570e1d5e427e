package io.openautoglm.gnn.internal;

import io.openautoglm.gnn.Graph;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * A seeded 85/5/10 split of a graph's undirected edges for link prediction, with as many negative
 * (non-edge) pairs as positives for validation and test. Held-out positives are absent from the train
 * edges; negatives are drawn from pairs that are edges nowhere in the graph.
 *
 * @param trainSrc train edges (message passing and positive training examples)
 * @param valPos validation positives, as {src, dst} arrays
 * @param valNeg validation negatives
 * @param testPos test positives
 * @param testNeg test negatives
 */
public record LinkSplit(
        int numNodes,
        int[] trainSrc,
        int[] trainDst,
        int[][] valPos,
        int[][] valNeg,
        int[][] testPos,
        int[][] testNeg) {

    /** Splits with shares 0.05 (val) and 0.10 (test). */
    public static LinkSplit of(Graph g, long seed) {
        return of(g, 0.05, 0.10, seed);
    }

    public static LinkSplit of(Graph g, double valShare, double testShare, long seed) {
        int m = g.numEdges();
        int n = g.numNodes();
        int nVal = (int) Math.floor(valShare * m);
        int nTest = (int) Math.floor(testShare * m);
        if (m - nVal - nTest < 1 || nVal < 1 || nTest < 1) {
            throw new IllegalArgumentException(g.name() + ": " + m + " edges are too few for a link split with val "
                    + valShare + " and test " + testShare);
        }
        int[] src = g.edgeSources();
        int[] dst = g.edgeTargets();
        Random rnd = new Random(seed);
        int[] perm = new int[m];
        for (int i = 0; i < m; i++) {
            perm[i] = i;
        }
        for (int i = m - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[][] valPos = new int[2][nVal];
        int[][] testPos = new int[2][nTest];
        int nTrain = m - nVal - nTest;
        int[] ts = new int[nTrain];
        int[] td = new int[nTrain];
        for (int i = 0; i < m; i++) {
            int e = perm[i];
            if (i < nVal) {
                valPos[0][i] = src[e];
                valPos[1][i] = dst[e];
            } else if (i < nVal + nTest) {
                testPos[0][i - nVal] = src[e];
                testPos[1][i - nVal] = dst[e];
            } else {
                ts[i - nVal - nTest] = src[e];
                td[i - nVal - nTest] = dst[e];
            }
        }
        Set<Long> taken = new HashSet<>(m * 2);
        for (int e = 0; e < m; e++) {
            taken.add(key(src[e], dst[e]));
        }
        long maxPairs = (long) n * (n - 1) / 2;
        if (maxPairs - m < nVal + nTest) {
            throw new IllegalArgumentException(
                    g.name() + ": the graph is too dense to draw " + (nVal + nTest) + " negative pairs");
        }
        int[][] valNeg = negatives(n, nVal, taken, rnd);
        int[][] testNeg = negatives(n, nTest, taken, rnd);
        return new LinkSplit(n, ts, td, valPos, valNeg, testPos, testNeg);
    }

    static long key(int a, int b) {
        int u = Math.min(a, b);
        int v = Math.max(a, b);
        return ((long) u << 32) | v;
    }

    /** Distinct non-self pairs absent from {@code taken}; adds them to it. */
    private static int[][] negatives(int n, int count, Set<Long> taken, Random rnd) {
        int[][] out = new int[2][count];
        int k = 0;
        while (k < count) {
            int a = rnd.nextInt(n);
            int b = rnd.nextInt(n);
            if (a == b || !taken.add(key(a, b))) {
                continue;
            }
            out[0][k] = Math.min(a, b);
            out[1][k] = Math.max(a, b);
            k++;
        }
        return out;
    }
}
