package io.openautoglm.local;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A multinomial logistic regression on standardised features (by default), with L2 regularisation, trained in plain
 * Java: the few-shot head the local engine puts on sentence embeddings. Training is seeded and
 * deterministic (same data, same settings, same weights).
 *
 * <pre>{@code
 * LogisticRegressionHead head = LogisticRegressionHead.trainer().l2(1e-2).seed(7).train(x, y, 2);
 * double[] p = head.probabilities(x[0]);   // one probability per class, summing to 1
 * }</pre>
 *
 * <p>Features are z-scored with the training mean and standard deviation, so dimensions on different
 * scales are penalised alike ({@link Trainer#standardise(boolean)} keeps only the centring). The objective is mean
 * cross-entropy plus {@code l2/2 · ‖W‖²} (bias not penalised), minimised by mini-batch Adam over seeded shuffles with
 * a decaying step.
 *
 * <p>With a prior ({@link Trainer#train(float[][], int[], int, float[][], double)}) the head starts from a given
 * linear classifier, such as the zero-shot one over label descriptions, and is held near it by a penalty that
 * fades as the examples grow: few examples adjust the prior, many outweigh it.
 *
 * <p>Immutable and thread-safe once trained.
 */
public final class LogisticRegressionHead {
    /**
     * With a prior, each class's logit at the examples' mean is held {@code 1 + (BIAS_HOLD / n_k)²} times as hard as
     * its weights. A bias shifts every text of another domain alike, where a weight moves only texts that resemble
     * the examples, and a handful of examples estimates it worst: held as lightly as the weights, two examples a class
     * cost the head a point against zero-shot on other reviews (FewShotTransferBenchmark); held about 31 times as
     * hard there (3 times at 8 a class, 1.5 at 16), no more than two tenths of one, while 8 and more keep their gain.
     */
    static final double BIAS_HOLD = 11;

    private final double[] mean;
    private final double[] scale;
    private final double[][] weights;
    private final double[] bias;

    private LogisticRegressionHead(double[] mean, double[] scale, double[][] weights, double[] bias) {
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
    }

    /** A trainer with the defaults. */
    public static Trainer trainer() {
        return new Trainer(1e-2, 60, 64, 0.01, 42L, true);
    }

    public int classes() {
        return bias.length;
    }

    public int dimension() {
        return mean.length;
    }

    /** Class probabilities for one feature vector. */
    public double[] probabilities(float[] x) {
        if (x.length != mean.length) {
            throw new IllegalArgumentException("x: expected " + mean.length + " features, got " + x.length);
        }
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            if (!Float.isFinite(x[j])) {
                throw new IllegalArgumentException("x[" + j + "] is " + x[j] + ", not a finite number");
            }
            z[j] = (x[j] - mean[j]) / scale[j];
        }
        return softmax(logits(weights, bias, z));
    }

    /**
     * The head as one linear map of the features as given: {@code probabilities(x)} is the softmax of
     * {@code weights[k] · x + bias[k]}, the standardisation folded in. Another model can start from it.
     */
    public Linear linear() {
        double[][] w = new double[weights.length][mean.length];
        double[] b = bias.clone();
        for (int k = 0; k < weights.length; k++) {
            for (int j = 0; j < mean.length; j++) {
                w[k][j] = weights[k][j] / scale[j];
                b[k] -= w[k][j] * mean[j];
            }
        }
        return new Linear(w, b);
    }

    /** A linear classifier: one row of {@code weights} and one {@code bias} per class. */
    public record Linear(double[][] weights, double[] bias) {}

    /** The most probable class. */
    public int predict(float[] x) {
        double[] p = probabilities(x);
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    private static double[] logits(double[][] w, double[] b, double[] z) {
        double[] out = new double[b.length];
        for (int k = 0; k < b.length; k++) {
            double s = b[k];
            double[] wk = w[k];
            for (int j = 0; j < z.length; j++) {
                s += wk[j] * z[j];
            }
            out[k] = s;
        }
        return out;
    }

    static double[] softmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElse(0);
        double sum = 0;
        double[] p = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /**
     * Trains {@link LogisticRegressionHead}s. Immutable: each setter returns a new trainer.
     *
     * @param l2           L2 penalty on the weights, {@code >= 0}
     * @param epochs       passes over the data, {@code >= 1}
     * @param batchSize    examples per step, {@code >= 1}
     * @param learningRate Adam's initial step, {@code > 0}; it decays as {@code 1/sqrt(epoch)}
     * @param seed         seed of the shuffles
     * @param standardise  whether features are scaled to unit variance after centring (default); without, they are
     *     only centred, and the penalty and Adam's steps act on the weights of the features as given
     */
    public record Trainer(double l2, int epochs, int batchSize, double learningRate, long seed, boolean standardise) {
        public Trainer {
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new IllegalArgumentException("l2: expected a finite value >= 0, got " + l2);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs: expected >= 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize: expected >= 1, got " + batchSize);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate: expected a finite value > 0, got " + learningRate);
            }
        }

        public Trainer l2(double value) {
            return new Trainer(value, epochs, batchSize, learningRate, seed, standardise);
        }

        public Trainer epochs(int value) {
            return new Trainer(l2, value, batchSize, learningRate, seed, standardise);
        }

        public Trainer batchSize(int value) {
            return new Trainer(l2, epochs, value, learningRate, seed, standardise);
        }

        public Trainer learningRate(double value) {
            return new Trainer(l2, epochs, batchSize, value, seed, standardise);
        }

        public Trainer seed(long value) {
            return new Trainer(l2, epochs, batchSize, learningRate, value, standardise);
        }

        /**
         * Whether to scale the centred features to unit variance before fitting (default true); without, they are
         * only centred, and the weights are fitted, penalised and stepped on the features' own scale. Standardised, a
         * dimension that barely varies can earn a weight as large as any, which unfolds to a very large weight on the
         * feature itself ({@link LogisticRegressionHead#linear()}): right for a head that stays on these features,
         * wrong for one that starts a fine-tuning, where the features move and such a weight turns their smallest
         * shifts into large logit changes and gradients.
         */
        public Trainer standardise(boolean value) {
            return new Trainer(l2, epochs, batchSize, learningRate, seed, value);
        }

        /**
         * Trains on feature rows {@code x} with class indices {@code y} in {@code [0, classes)}.
         *
         * @throws IllegalArgumentException on empty or ragged input, or a class index out of range
         */
        public LogisticRegressionHead train(float[][] x, int[] y, int classes) {
            check(x, y, classes);
            return fit(x, y, classes, null, 0);
        }

        /**
         * Trains as {@link #train(float[][], int[], int)} does, but from a prior: the linear classifier whose
         * logits are {@code prior[k] · x} (no bias). The head starts there, and each class's correction (its
         * weights minus the prior's, on the features as given, and its logit at the examples' mean minus the
         * prior's) is penalised by {@code priorStrength / (2 · classes · n_k) · ‖correction‖²}, where {@code n_k}
         * is that class's number of examples; the logit's part weighs {@code 1 + (11 / n_k)²} times as much, because
         * a shift of every logit moves every text of another domain alike and a few examples estimate it worst.
         * The penalty is a Gaussian prior on the correction, so its weight against the mean cross-entropy falls as
         * {@code 1/n_k}: a handful of examples adjusts the prior, many
         * outweigh it and the head approaches the one {@link #train(float[][], int[], int)} gives (whose
         * {@code l2} still applies). A class without examples keeps the prior's weights; {@code priorStrength}
         * 0 is exactly {@link #train(float[][], int[], int)}.
         *
         * <p>The penalty acts on the raw features, not the standardised ones: a dimension that hardly varies
         * among the examples would otherwise get a large weight that the examples never paid for, and texts
         * from elsewhere, where it does vary, would pay for it.
         *
         * @param prior         one row of weights per class over the same features as {@code x}
         * @param priorStrength the prior's precision, finite and {@code >= 0}
         * @throws IllegalArgumentException on bad input as above, a prior of another shape or with a number that
         *     is not finite, or a bad strength
         */
        public LogisticRegressionHead train(float[][] x, int[] y, int classes, float[][] prior, double priorStrength) {
            check(x, y, classes);
            Objects.requireNonNull(prior, "prior");
            if (!(priorStrength >= 0) || Double.isInfinite(priorStrength)) {
                throw new IllegalArgumentException("priorStrength: expected a finite value >= 0, got " + priorStrength);
            }
            if (prior.length != classes) {
                throw new IllegalArgumentException(
                        "prior: expected one row per class (" + classes + "), got " + prior.length);
            }
            for (int k = 0; k < classes; k++) {
                if (prior[k].length != x[0].length) {
                    throw new IllegalArgumentException("prior[" + k + "]: expected " + x[0].length
                            + " weights, as many as features, got " + prior[k].length);
                }
                for (int j = 0; j < prior[k].length; j++) {
                    if (!Float.isFinite(prior[k][j])) {
                        throw new IllegalArgumentException(
                                "prior[" + k + "][" + j + "] is " + prior[k][j] + ", not a finite number");
                    }
                }
            }
            return fit(x, y, classes, priorStrength > 0 ? prior : null, priorStrength);
        }

        private static void check(float[][] x, int[] y, int classes) {
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (x.length == 0 || x.length != y.length) {
                throw new IllegalArgumentException(
                        "x, y: expected the same non-zero number of rows, got " + x.length + " and " + y.length);
            }
            if (classes < 2) {
                throw new IllegalArgumentException("classes: expected >= 2, got " + classes);
            }
            int d = x[0].length;
            for (int i = 0; i < x.length; i++) {
                if (x[i].length != d) {
                    throw new IllegalArgumentException("x[" + i + "]: expected " + d + " features, got " + x[i].length);
                }
                for (int j = 0; j < d; j++) {
                    // one NaN would turn every weight into NaN, and the head would answer NaN for everything
                    if (!Float.isFinite(x[i][j])) {
                        throw new IllegalArgumentException(
                                "x[" + i + "][" + j + "] is " + x[i][j] + ", not a finite number");
                    }
                }
                if (y[i] < 0 || y[i] >= classes) {
                    throw new IllegalArgumentException(
                            "y[" + i + "]: expected a class in [0, " + classes + "), got " + y[i]);
                }
            }
        }

        /** Adam on the checked data; {@code prior == null} is the plain head, every step as it always was. */
        private LogisticRegressionHead fit(float[][] x, int[] y, int classes, float[][] prior, double priorStrength) {
            int n = x.length;
            int d = x[0].length;
            double[] mean = new double[d];
            double[] scale = new double[d];
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    double c = row[j] - mean[j];
                    scale[j] += c * c;
                }
            }
            for (int j = 0; j < d; j++) {
                double sd = Math.sqrt(scale[j] / n);
                // a constant feature carries nothing; a unit scale keeps it at zero instead of dividing by zero
                scale[j] = sd > 1e-12 ? sd : 1.0;
            }
            if (!standardise) {
                Arrays.fill(scale, 1); // centred only: the weights stay on the features' own scale
            }
            double[][] z = new double[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    z[i][j] = (x[i][j] - mean[j]) / scale[j];
                }
            }
            double[][] w = new double[classes][d];
            double[] b = new double[classes];
            // the prior in standardised coordinates, and each class's penalty weight (infinite: no examples)
            double[][] w0 = null;
            double[] b0 = null;
            double[] lambda = null;
            double[] biasHold = new double[classes];
            if (prior != null) {
                w0 = new double[classes][d];
                b0 = new double[classes];
                lambda = new double[classes];
                int[] count = new int[classes];
                for (int label : y) {
                    count[label]++;
                }
                for (int k = 0; k < classes; k++) {
                    for (int j = 0; j < d; j++) {
                        // w·z + b = prior·x exactly when w = prior ⊙ scale and b = prior·mean
                        w0[k][j] = prior[k][j] * scale[j];
                        b0[k] += prior[k][j] * mean[j];
                    }
                    lambda[k] =
                            count[k] == 0 ? Double.POSITIVE_INFINITY : priorStrength / ((double) classes * count[k]);
                    biasHold[k] = 1 + Math.pow(BIAS_HOLD / Math.max(1, count[k]), 2);
                    w[k] = w0[k].clone();
                    b[k] = b0[k];
                }
            }
            double[][] mw = new double[classes][d];
            double[][] vw = new double[classes][d];
            double[] mb = new double[classes];
            double[] vb = new double[classes];
            double beta1 = 0.9;
            double beta2 = 0.999;
            double eps = 1e-8;
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(seed);
            double[][] gw = new double[classes][d];
            double[] gb = new double[classes];
            long step = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                for (int i = n - 1; i > 0; i--) {
                    int r = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[r];
                    order[r] = t;
                }
                double lr = learningRate / Math.sqrt(epoch);
                for (int from = 0; from < n; from += batchSize) {
                    int to = Math.min(n, from + batchSize);
                    int m = to - from;
                    for (double[] row : gw) {
                        Arrays.fill(row, 0);
                    }
                    Arrays.fill(gb, 0);
                    for (int s = from; s < to; s++) {
                        double[] zi = z[order[s]];
                        double[] p = softmax(logits(w, b, zi));
                        p[y[order[s]]] -= 1;
                        for (int k = 0; k < classes; k++) {
                            double g = p[k] / m;
                            gb[k] += g;
                            double[] gwk = gw[k];
                            for (int j = 0; j < d; j++) {
                                gwk[j] += g * zi[j];
                            }
                        }
                    }
                    step++;
                    double c1 = 1 - Math.pow(beta1, step);
                    double c2 = 1 - Math.pow(beta2, step);
                    for (int k = 0; k < classes; k++) {
                        if (lambda != null && lambda[k] == Double.POSITIVE_INFINITY) {
                            continue; // no examples of this class: it keeps the prior's weights
                        }
                        for (int j = 0; j < d; j++) {
                            double g = gw[k][j] + l2 * w[k][j];
                            mw[k][j] = beta1 * mw[k][j] + (1 - beta1) * g;
                            vw[k][j] = beta2 * vw[k][j] + (1 - beta2) * g * g;
                            w[k][j] -= lr * (mw[k][j] / c1) / (Math.sqrt(vw[k][j] / c2) + eps);
                            if (lambda != null) {
                                // the penalty on the raw-feature correction is λ/scale² per standardised weight: stiff
                                // where a dimension barely varies, so it is applied as Adam's proximal step (exact
                                // for a quadratic) rather than added to a gradient that Adam would normalise away
                                double rho = lr / (Math.sqrt(vw[k][j] / c2) + eps) * lambda[k] / (scale[j] * scale[j]);
                                w[k][j] = (w[k][j] + rho * w0[k][j]) / (1 + rho);
                            }
                        }
                        mb[k] = beta1 * mb[k] + (1 - beta1) * gb[k];
                        vb[k] = beta2 * vb[k] + (1 - beta2) * gb[k] * gb[k];
                        b[k] -= lr * (mb[k] / c1) / (Math.sqrt(vb[k] / c2) + eps);
                        if (lambda != null) {
                            double rho = lr / (Math.sqrt(vb[k] / c2) + eps) * lambda[k] * biasHold[k];
                            b[k] = (b[k] + rho * b0[k]) / (1 + rho);
                        }
                    }
                }
            }
            return new LogisticRegressionHead(mean, scale, w, b);
        }
    }
}
