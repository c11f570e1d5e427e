package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import io.openautoglm.local.ThresholdCalibrator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleConsumer;

/**
 * A matching head's dev score: the accuracy at the threshold on its pair scores that is best for dev
 * ({@link ThresholdCalibrator}, as the untrained engine calibrates its own), which is handed to the head to be served.
 */
final class CalibratedScore implements TaskHead.Score {
    private final BiFunction<NDArray, Batches.Batch, float[]> scores;
    private final double lowest;
    private final DoubleConsumer chosen;
    private final List<double[]> seen = new ArrayList<>(); // {score, gold}

    /**
     * @param scores each example's score from the encoder's states
     * @param lowest the lowest score there can be: 0 for a probability, -1 for a cosine
     * @param chosen receives the threshold each time the score is read
     */
    CalibratedScore(BiFunction<NDArray, Batches.Batch, float[]> scores, double lowest, DoubleConsumer chosen) {
        this.scores = scores;
        this.lowest = lowest;
        this.chosen = chosen;
    }

    @Override
    public void add(NDArray hidden, Batches.Batch batch) {
        float[] s = scores.apply(hidden, batch);
        for (int i = 0; i < s.length; i++) {
            seen.add(new double[] {s[i], batch.examples().get(i).label()});
        }
    }

    @Override
    public double value() {
        if (seen.isEmpty()) {
            return Double.NaN;
        }
        boolean[] gold = new boolean[seen.size()];
        for (int i = 0; i < gold.length; i++) {
            gold[i] = seen.get(i)[1] == 1;
        }
        ThresholdCalibrator.Calibration best = ThresholdCalibrator.calibrate(
                seen.stream().mapToDouble(x -> x[0]).toArray(), gold, ThresholdCalibrator.Objective.ACCURACY);
        // "never a match" lies just above the top score, "always" at the lowest: keep it a score the head can serve
        chosen.accept(Math.max(lowest, Math.min(1, best.threshold())));
        return best.accuracy();
    }
}
