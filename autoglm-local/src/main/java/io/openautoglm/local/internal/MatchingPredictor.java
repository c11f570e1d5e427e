package io.openautoglm.local.internal;

import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.local.ThresholdCalibrator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Semantic matching on embeddings: a pair matches when the cosine similarity of its two texts reaches a
 * threshold. The threshold is the task option {@code threshold} if given, else calibrated on the labelled
 * examples (accuracy, or F1 with {@code calibrate=f1}), else {@link #DEFAULT_THRESHOLD}. Thread-safe.
 *
 * <p>The score maps similarity to [0, 1] piecewise linearly so that the threshold lands on 0.5: a pair
 * matches exactly when its score is at least 0.5.
 */
public final class MatchingPredictor implements Predictor {
    private static final Logger LOG = LoggerFactory.getLogger(MatchingPredictor.class);

    /** Used when there is neither a threshold option nor labelled pairs; see docs/local-engine.md. */
    public static final double DEFAULT_THRESHOLD = 0.80;

    private final LocalEmbeddings embeddings;
    private final double threshold;
    private final ThresholdCalibrator.Calibration calibration;

    public MatchingPredictor(LocalEmbeddings embeddings, Task task) {
        TaskSpec spec = task.spec();
        this.embeddings = embeddings;
        String objective = spec.option("calibrate", "accuracy");
        ThresholdCalibrator.Objective parsed = ThresholdCalibrator.Objective.parse(objective);
        if (spec.options().containsKey("threshold")) {
            this.threshold = SpecOptions.doubleOption(spec, "threshold", DEFAULT_THRESHOLD);
            if (threshold < -1 || threshold > 1) {
                throw new IllegalArgumentException("task option threshold: expected a cosine similarity in [-1, 1], got "
                        + threshold);
            }
            this.calibration = null;
            LOG.info("Matching with {} at the given threshold {}", embeddings.name(), threshold);
        } else if (spec.examples() != null) {
            long start = System.nanoTime();
            List<TextRecord> examples = Examples.read(task);
            double[] similarities = similarities(examples, new UsageMeter());
            boolean[] gold = new boolean[examples.size()];
            for (int i = 0; i < gold.length; i++) {
                gold[i] = isMatch(examples.get(i).label());
            }
            this.calibration = ThresholdCalibrator.calibrate(similarities, gold, parsed);
            this.threshold = calibration.threshold();
            LOG.info("Calibrated the matching threshold of {} on {} labelled pairs from {} for {}: {} (accuracy {}, "
                            + "F1 {} on those pairs), {} ms", embeddings.name(), gold.length, spec.examples().name(), parsed,
                    String.format("%.4f", threshold), String.format("%.3f", calibration.accuracy()),
                    String.format("%.3f", calibration.f1()), (System.nanoTime() - start) / 1_000_000);
        } else {
            this.threshold = DEFAULT_THRESHOLD;
            this.calibration = null;
            LOG.info("Matching with {} at the default threshold {}: give labelled pairs to calibrate it", embeddings.name(),
                    threshold);
        }
    }

    /** The similarity threshold in use. */
    public double threshold() {
        return threshold;
    }

    /** The calibration, or {@code null} when the threshold was given or defaulted. */
    public ThresholdCalibrator.Calibration calibration() {
        return calibration;
    }

    private double[] similarities(List<TextRecord> pairs, UsageMeter usage) {
        List<String> texts = new ArrayList<>(pairs.size() * 2);
        for (TextRecord r : pairs) {
            texts.add(r.text());
            texts.add(r.textB());
        }
        float[][] v = embeddings.embed(texts, usage);
        double[] s = new double[pairs.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = LocalEmbeddings.cosine(v[2 * i], v[2 * i + 1]);
        }
        return s;
    }

    @Override
    public List<Outcome> predict(List<TextRecord> batch, UsageMeter usage) {
        double[] s = similarities(batch, usage);
        List<Outcome> out = new ArrayList<>(batch.size());
        for (double similarity : s) {
            out.add(Outcome.success(new Prediction.Match(similarity >= threshold, score(similarity, threshold))));
        }
        return out;
    }

    /** Gold labels were validated by the task already, so anything not affirmative is a non-match. */
    static boolean isMatch(String label) {
        return switch (label.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "y", "是", "match" -> true;
            default -> false;
        };
    }

    /** Maps [-1, t] to [0, 0.5] and [t, 1] to [0.5, 1]. */
    static double score(double similarity, double t) {
        double s = Math.max(-1, Math.min(1, similarity));
        if (s >= t) {
            return t >= 1 ? 1 : 0.5 + 0.5 * (s - t) / (1 - t);
        }
        return t <= -1 ? 0 : 0.5 * (s + 1) / (t + 1);
    }
}
