package io.openautoglm.local;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Picks the decision threshold on a score (such as the cosine similarity of a pair) that best separates
 * labelled positives from negatives: "positive iff score ≥ threshold".
 *
 * <pre>{@code
 * ThresholdCalibrator.Calibration c =
 *         ThresholdCalibrator.calibrate(similarities, isMatch, ThresholdCalibrator.Objective.ACCURACY);
 * boolean match = similarity >= c.threshold();
 * }</pre>
 *
 * <p>Every cut between two neighbouring distinct scores is tried (plus "all negative" and "all positive"),
 * so the result is exact for the given data; the threshold sits halfway between the two scores of the cut.
 * Among equally good cuts the one with the higher threshold wins. Stateless and thread-safe.
 */
public final class ThresholdCalibrator {

    /** What the threshold maximises. */
    public enum Objective {
        /** Share of correct decisions. */
        ACCURACY,
        /** F1 of the positive class. */
        F1;

        /** Reads {@code accuracy} or {@code f1}, case-insensitively. */
        public static Objective parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "accuracy", "acc" -> ACCURACY;
                case "f1" -> F1;
                default ->
                    throw new IllegalArgumentException("calibrate: expected 'accuracy' or 'f1', got '" + value + "'");
            };
        }
    }

    /**
     * A chosen threshold and how it does on the data it was chosen on.
     *
     * @param threshold the cut: scores at or above it are positive
     * @param accuracy  accuracy on the calibration data
     * @param f1        F1 of the positive class on the calibration data
     * @param examples  number of labelled scores
     * @param positives number of positives among them
     */
    public record Calibration(double threshold, double accuracy, double f1, int examples, int positives) {}

    private ThresholdCalibrator() {}

    /**
     * Finds the best threshold.
     *
     * @throws IllegalArgumentException when the arrays are empty, differ in length, or hold a score that is not finite
     */
    public static Calibration calibrate(double[] scores, boolean[] positive, Objective objective) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(objective, "objective");
        int n = scores.length;
        if (n == 0 || n != positive.length) {
            throw new IllegalArgumentException(
                    "scores, positive: expected the same non-zero length, got " + n + " and " + positive.length);
        }
        Integer[] order = new Integer[n];
        int totalPositive = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) {
                // an infinite score has no cut above it, and a midpoint with one is infinite or NaN
                throw new IllegalArgumentException("scores[" + i + "] is " + scores[i] + ", not a finite number");
            }
            order[i] = i;
            totalPositive += positive[i] ? 1 : 0;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        // Start with everything negative, then admit scores from the top, one distinct value at a time.
        int tp = 0;
        int fp = 0;
        double bestValue = value(objective, 0, 0, totalPositive, n);
        double bestThreshold = Math.nextUp(scores[order[0]]);
        int bestTp = 0;
        int bestFp = 0;
        int i = 0;
        while (i < n) {
            double s = scores[order[i]];
            while (i < n && scores[order[i]] == s) {
                if (positive[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            double threshold = i < n ? s / 2 + scores[order[i]] / 2 : s; // halves first: the sum may overflow
            if (i < n && threshold == scores[order[i]]) {
                threshold = s; // neighbours one ulp apart: the upper one keeps the cut exact
            }
            double v = value(objective, tp, fp, totalPositive, n);
            if (v > bestValue) {
                bestValue = v;
                bestThreshold = threshold;
                bestTp = tp;
                bestFp = fp;
            }
        }
        int fn = totalPositive - bestTp;
        double accuracy = (double) (n - bestFp - fn) / n;
        return new Calibration(bestThreshold, accuracy, f1(bestTp, bestFp, fn), n, totalPositive);
    }

    private static double value(Objective objective, int tp, int fp, int totalPositive, int n) {
        int fn = totalPositive - tp;
        return objective == Objective.ACCURACY ? (double) (n - fp - fn) / n : f1(tp, fp, fn);
    }

    private static double f1(int tp, int fp, int fn) {
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
