package io.openautoglm.local.internal;

import io.openautoglm.core.DataException;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.OptionReader;
import io.openautoglm.core.spi.Outcome;
import io.openautoglm.core.spi.Predictor;
import io.openautoglm.local.LocalEmbeddings;
import io.openautoglm.local.LogisticRegressionHead;
import io.openautoglm.local.ThresholdCalibrator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Semantic matching on embeddings. By default ({@code method=threshold}) a pair matches when the cosine
 * similarity of its two texts reaches a threshold: the task option {@code threshold} if given, else the one a
 * bi-encoder folder was fine-tuned with, else one calibrated on the labelled examples (accuracy, or F1 with
 * {@code calibrate=f1}), else {@link #DEFAULT_THRESHOLD}. With {@code method=head} and labelled examples, a
 * logistic-regression head is trained on pair features (the element-wise product and absolute difference of the
 * two vectors, their cosine, and the character n-gram overlap of the texts) and the threshold on its match
 * probability is calibrated the same way. Thread-safe.
 *
 * <p>The score maps the decision value (similarity in [-1, 1], or probability in [0, 1]) to [0, 1]
 * piecewise linearly so that the threshold lands on 0.5: a pair matches exactly when its score is at
 * least 0.5.
 */
public final class MatchingPredictor implements Predictor {
    private static final Logger LOG = LoggerFactory.getLogger(MatchingPredictor.class);

    /** Used when there is neither a threshold option nor labelled pairs; see docs/local-engine.md. */
    public static final double DEFAULT_THRESHOLD = 0.80;

    private final LocalEmbeddings embeddings;
    private final LogisticRegressionHead head;
    private final double threshold;
    private final ThresholdCalibrator.Calibration calibration;

    /**
     * Trained pair heads by what determines them (the labelled pairs and the trainer's settings), so that
     * tasks differing only in their threshold, as a threshold search on dev makes them, train the head once.
     * Owned by one model; thread-safe.
     */
    public static final class Heads {
        private final LruCache<Key, LogisticRegressionHead> cache;

        /** @param capacity heads kept; each holds one weight per feature and class, so a few are cheap */
        public Heads(int capacity) {
            this.cache = new LruCache<>(capacity);
        }

        /** Heads held now. */
        public int size() {
            return cache.size();
        }

        private record Key(String model, List<TextRecord> examples, LogisticRegressionHead.Trainer trainer) {}
    }

    /** A predictor that trains its head itself, sharing it with no one. */
    public MatchingPredictor(LocalEmbeddings embeddings, Task task) {
        this(embeddings, task, new Heads(1));
    }

    public MatchingPredictor(LocalEmbeddings embeddings, Task task, Heads heads) {
        this(embeddings, task, heads, Double.NaN);
    }

    /**
     * @param tunedThreshold the cosine threshold a bi-encoder folder was fine-tuned with (chosen on its dev set, as
     *     a cross-encoder folder's is): used unless the task option {@code threshold} is given, also when the task
     *     has labelled examples (which {@code method=head} still trains on); {@code NaN} for a model that was not
     *     fine-tuned
     */
    public MatchingPredictor(LocalEmbeddings embeddings, Task task, Heads heads, double tunedThreshold) {
        TaskSpec spec = task.spec();
        this.embeddings = embeddings;
        OptionReader options = TaskOptions.of(spec);
        ThresholdCalibrator.Objective objective = ThresholdCalibrator.Objective.parse(
                options.choice("calibrate", "accuracy", List.of("accuracy", "acc", "f1")));
        String method = options.choice("method", "threshold", List.of("threshold", "head"));
        if (method.equals("head") && spec.examples() == null) {
            throw new IllegalArgumentException("task option method=head needs labelled pairs: give the task examples");
        }
        // a cosine lies in [-1, 1], a head's probability in [0, 1]
        boolean givenThreshold = options.has("threshold");
        boolean tuned = !Double.isNaN(tunedThreshold) && method.equals("threshold");
        double given = options.decimal("threshold", tuned ? tunedThreshold : DEFAULT_THRESHOLD, -1, 1);
        if (method.equals("head") && given < 0) {
            throw options.invalid("threshold", "expected a finite number between 0 and 1 for method=head");
        }
        if (spec.examples() == null || tuned) {
            this.head = null;
            this.calibration = null;
            this.threshold = given;
            LOG.info(
                    "Matching with {} at the {} similarity threshold {}",
                    embeddings.name(),
                    givenThreshold
                            ? "given"
                            : tuned
                                    ? "fine-tuned (chosen on its dev set)"
                                    : "default (no labelled pairs to calibrate on)",
                    threshold);
            return;
        }
        long start = System.nanoTime();
        List<TextRecord> examples = Examples.read(task);
        boolean[] gold = new boolean[examples.size()];
        int[] y = new int[examples.size()];
        for (int i = 0; i < gold.length; i++) {
            gold[i] = Boolean.TRUE.equals(examples.get(i).goldMatch());
            y[i] = gold[i] ? 1 : 0;
        }
        if (method.equals("head")) {
            long matches = java.util.stream.IntStream.of(y).filter(v -> v == 1).count();
            if (matches == 0 || matches == y.length) {
                // one class alone trains a head that answers it for every pair
                throw new DataException(
                        task.spec().examples().name(),
                        0,
                        "method=head needs labelled pairs of both "
                                + "kinds, matching and not matching; the " + y.length + " pairs are all "
                                + (matches == 0 ? "non-matches" : "matches"));
            }
        }
        float[][] vectors = embedPairs(examples, new UsageMeter());
        double[] values;
        if (method.equals("head")) {
            float[][] features = new float[examples.size()][];
            for (int i = 0; i < features.length; i++) {
                features[i] = features(
                        vectors[2 * i],
                        vectors[2 * i + 1],
                        examples.get(i).text(),
                        examples.get(i).textB());
            }
            LogisticRegressionHead.Trainer trainer = TaskOptions.trainer(options);
            // training is seeded and deterministic, so a head trained before on the same pairs is the same head
            Heads.Key key = new Heads.Key(embeddings.name(), examples, trainer);
            LogisticRegressionHead cached = heads.cache.get(key);
            if (cached == null) {
                cached = trainer.train(features, y, 2);
                heads.cache.put(key, cached);
            }
            this.head = cached;
            values = new double[features.length];
            for (int i = 0; i < features.length; i++) {
                values[i] = head.probabilities(features[i])[1];
            }
        } else {
            this.head = null;
            values = cosines(vectors);
        }
        if (givenThreshold) {
            this.calibration = null;
            this.threshold = given;
        } else {
            this.calibration = ThresholdCalibrator.calibrate(values, gold, objective);
            this.threshold = calibration.threshold();
        }
        LOG.info(
                "Matching with {} ({}) prepared on {} labelled pairs from {}: threshold {}{}, {} ms",
                embeddings.name(),
                head == null ? "cosine similarity" : "logistic-regression head on pair features",
                gold.length,
                spec.examples().name(),
                String.format("%.4f", threshold),
                calibration == null
                        ? " (given)"
                        : String.format(
                                " calibrated for %s (accuracy %.3f, F1 %.3f on those pairs)",
                                objective, calibration.accuracy(), calibration.f1()),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The threshold in use: on cosine similarity, or on the head's match probability. */
    public double threshold() {
        return threshold;
    }

    /** The calibration, or {@code null} when the threshold was given or defaulted. */
    public ThresholdCalibrator.Calibration calibration() {
        return calibration;
    }

    private float[][] embedPairs(List<TextRecord> pairs, UsageMeter usage) {
        List<String> texts = new ArrayList<>(pairs.size() * 2);
        for (TextRecord r : pairs) {
            texts.add(r.text());
            texts.add(r.textB());
        }
        return embeddings.embed(texts, usage);
    }

    private static double[] cosines(float[][] v) {
        double[] s = new double[v.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = LocalEmbeddings.cosine(v[2 * i], v[2 * i + 1]);
        }
        return s;
    }

    private static final int LEXICAL = 5;

    /**
     * Order-free pair features: u·v element-wise, |u − v|, the cosine, and the surface overlap of the two
     * texts (Jaccard of character 1-, 2- and 3-grams, relative length difference, equality). The surface
     * features catch what a small embedding model blurs, such as one changed product name in a question.
     */
    static float[] features(float[] u, float[] v, String a, String b) {
        int d = u.length;
        float[] f = new float[2 * d + LEXICAL + 1];
        for (int j = 0; j < d; j++) {
            f[j] = u[j] * v[j];
            f[d + j] = Math.abs(u[j] - v[j]);
        }
        for (int n = 1; n <= 3; n++) {
            f[2 * d + n - 1] = (float) jaccard(grams(a, n), grams(b, n));
        }
        f[2 * d + 3] = (float) Math.abs(a.length() - b.length()) / Math.max(1, Math.max(a.length(), b.length()));
        f[2 * d + 4] = a.equals(b) ? 1 : 0;
        f[2 * d + LEXICAL] = (float) LocalEmbeddings.cosine(u, v);
        return f;
    }

    private static Set<String> grams(String s, int n) {
        Set<String> g = new HashSet<>();
        for (int i = 0; i + n <= s.length(); i++) {
            g.add(s.substring(i, i + n));
        }
        return g;
    }

    private static double jaccard(Set<String> x, Set<String> y) {
        if (x.isEmpty() && y.isEmpty()) {
            return 1;
        }
        int common = 0;
        for (String g : x) {
            common += y.contains(g) ? 1 : 0;
        }
        return (double) common / (x.size() + y.size() - common);
    }

    @Override
    public List<Outcome> predict(List<TextRecord> batch, UsageMeter usage) {
        float[][] v = embedPairs(batch, usage);
        List<Outcome> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            double value = head == null
                    ? LocalEmbeddings.cosine(v[2 * i], v[2 * i + 1])
                    : head.probabilities(features(
                            v[2 * i],
                            v[2 * i + 1],
                            batch.get(i).text(),
                            batch.get(i).textB()))[1];
            double low = head == null ? -1 : 0;
            out.add(Outcome.success(new Prediction.Match(value >= threshold, score(value, threshold, low))));
        }
        return out;
    }

    /** Gold labels were validated by the task already, so anything not affirmative is a non-match. */
    /** Maps [low, t] to [0, 0.5] and [t, 1] to [0.5, 1]. */
    static double score(double value, double t, double low) {
        double s = Math.max(low, Math.min(1, value));
        if (s >= t) {
            return t >= 1 ? 1 : 0.5 + 0.5 * (s - t) / (1 - t);
        }
        return t <= low ? 0 : 0.5 * (s - low) / (t - low);
    }
}
