package io.openautoglm.gnn.internal;

import java.util.Arrays;

/** Ranking metrics for link prediction. */
public final class Metrics {
    private Metrics() {}

    /** ROC AUC (Mann–Whitney, ties counted half). */
    public static double auc(float[] pos, float[] neg) {
        double[][] all = scored(pos, neg);
        int n = all.length;
        Arrays.sort(all, (x, y) -> Double.compare(x[0], y[0]));
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && all[j + 1][0] == all[i][0]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (all[k][1] == 1) {
                    rankSum += rank;
                }
            }
            i = j + 1;
        }
        // in double: pos.length² overflows an int from 46,341 positives (a few hundred thousand test edges)
        return (rankSum - (double) pos.length * (pos.length + 1) / 2.0) / ((double) pos.length * neg.length);
    }

    /** Average precision (scikit-learn's definition: Σ (R_k − R_{k−1}) P_k over descending scores). */
    public static double averagePrecision(float[] pos, float[] neg) {
        double[][] all = scored(pos, neg);
        int n = all.length;
        Arrays.sort(all, (x, y) -> Double.compare(y[0], x[0]));
        double ap = 0;
        int tp = 0;
        int seen = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            int tpHere = 0;
            while (j < n && all[j][0] == all[i][0]) {
                if (all[j][1] == 1) {
                    tpHere++;
                }
                j++;
            }
            seen += j - i;
            tp += tpHere;
            ap += (tpHere / (double) pos.length) * (tp / (double) seen);
            i = j;
        }
        return ap;
    }

    /**
     * Pairs of (score, 1 for a positive or 0 for a negative), positives first. A NaN score (a diverged model) ranks
     * below every number: it says nothing about the edge, and NaN compares unequal to itself, which would break
     * the grouping of ties.
     */
    private static double[][] scored(float[] pos, float[] neg) {
        double[][] all = new double[pos.length + neg.length][2];
        for (int i = 0; i < pos.length; i++) {
            all[i][0] = finite(pos[i]);
            all[i][1] = 1;
        }
        for (int i = 0; i < neg.length; i++) {
            all[pos.length + i][0] = finite(neg[i]);
        }
        return all;
    }

    private static double finite(float score) {
        return Float.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }
}
