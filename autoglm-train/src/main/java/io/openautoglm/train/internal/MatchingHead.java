package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.openautoglm.local.ThresholdCalibrator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cross-encoder's head: no match and match ({@code "0"}, {@code "1"}) from the pair's first token, as
 * {@link ClassificationHead} gives them, decided at a threshold on the match probability that is chosen on dev.
 *
 * <p>Matches are often the minority (31% of AFQMC), and a small encoder's match probabilities rarely reach one half
 * there: at 0.5 it says "no match" to nearly every pair, however well it ranks them. Dev is therefore scored as the
 * accuracy at its best threshold ({@link ThresholdCalibrator}, as the untrained engine calibrates its own), which is
 * what selects the epoch, and the threshold of the last scoring is served with the model (the training loop scores
 * the kept epoch last). The task option {@code threshold} still overrides it.
 */
public final class MatchingHead implements TaskHead {
    private final ClassificationHead classes;
    private double threshold = 0.5;

    public MatchingHead(NDManager manager, int hidden, long seed) {
        this.classes = new ClassificationHead(manager, hidden, List.of("0", "1"), seed);
    }

    /** The decision threshold of the last dev scoring; 0.5 before any. */
    public double threshold() {
        return threshold;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return classes.parameters();
    }

    @Override
    public NDArray loss(NDArray hidden, Batches.Batch batch) {
        return classes.loss(hidden, batch);
    }

    @Override
    public Score score() {
        List<double[]> seen = new ArrayList<>(); // {match probability, gold}
        return new Score() {
            @Override
            public void add(NDArray hidden, Batches.Batch batch) {
                float[] p = classes.logits(hidden).softmax(1).toFloatArray();
                for (int i = 0; i < batch.examples().size(); i++) {
                    seen.add(new double[] {p[2 * i + 1], batch.examples().get(i).label()});
                }
            }

            @Override
            public double value() {
                if (seen.isEmpty()) {
                    return Double.NaN;
                }
                ThresholdCalibrator.Calibration best = ThresholdCalibrator.calibrate(
                        seen.stream().mapToDouble(x -> x[0]).toArray(),
                        booleans(seen),
                        ThresholdCalibrator.Objective.ACCURACY);
                threshold = best.threshold();
                return best.accuracy();
            }
        };
    }

    private static boolean[] booleans(List<double[]> seen) {
        boolean[] gold = new boolean[seen.size()];
        for (int i = 0; i < gold.length; i++) {
            gold[i] = seen.get(i)[1] == 1;
        }
        return gold;
    }

    @Override
    public String metric() {
        return "accuracy";
    }

    @Override
    public Map<String, Object> served() {
        Map<String, Object> json = new LinkedHashMap<>(classes.served());
        json.put("threshold", threshold);
        return json;
    }
}
