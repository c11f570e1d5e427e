package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.openautoglm.local.ThresholdCalibrator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cross-encoder's head: no match and match ({@code "0"}, {@code "1"}) from the pair's first token, as
 * {@link ClassificationHead} gives them, decided at a threshold on the match probability that is chosen on dev.
 *
 * <p>Where matches are the minority (31% of AFQMC), accuracy at a fixed 0.5 says more about where a small encoder's
 * probabilities happen to lie than about how well it tells pairs apart: earlier AFQMC runs said "no match" to every
 * dev pair at 0.5. Dev is therefore scored as the accuracy at its best threshold ({@link ThresholdCalibrator}, as the
 * untrained engine calibrates its own), which selects the epoch, and that threshold is served with the model: the
 * training loop scores the kept epoch last ({@link #calibratesOnDev()}). The task option {@code threshold} still
 * overrides it; the int8 export is served at the same threshold.
 */
public final class MatchingHead implements TaskHead {
    private final ClassificationHead classes;
    private double threshold = Double.NaN; // until dev is scored: then a folder without one matches from 0.5

    public MatchingHead(NDManager manager, int hidden, long seed) {
        this.classes = new ClassificationHead(manager, hidden, List.of("0", "1"), seed);
    }

    /** The decision threshold of the last dev scoring, {@code NaN} before any (an empty dev set). */
    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public String pairs() {
        return "a cross-encoder: a pair's two texts read together";
    }

    @Override
    public String decision() {
        return "a pair matches when its match probability reaches %.4f";
    }

    @Override
    public boolean calibratesOnDev() {
        return true;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return classes.parameters();
    }

    @Override
    public boolean readsFirstTokenOnly() {
        return true;
    }

    @Override
    public NDArray loss(NDArray hidden, Batches.Batch batch) {
        return classes.loss(hidden, batch);
    }

    @Override
    public Score score() {
        return new CalibratedScore(
                (hidden, batch) -> {
                    float[] p = classes.logits(hidden).softmax(1).toFloatArray();
                    float[] match = new float[batch.examples().size()];
                    for (int i = 0; i < match.length; i++) {
                        match[i] = p[2 * i + 1];
                    }
                    return match;
                },
                0,
                t -> threshold = t);
    }

    @Override
    public String metric() {
        return "accuracy";
    }

    @Override
    public Map<String, Object> served() {
        Map<String, Object> json = new LinkedHashMap<>(classes.served());
        if (!Double.isNaN(threshold)) {
            json.put("threshold", threshold);
        }
        return json;
    }
}
