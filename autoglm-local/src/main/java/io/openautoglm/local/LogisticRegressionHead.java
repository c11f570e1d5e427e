package io.openautoglm.local;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A multinomial logistic regression on standardised features, with L2 regularisation, trained in plain
 * Java: the few-shot head the local engine puts on sentence embeddings. Training is seeded and
 * deterministic (same data, same settings, same weights).
 *
 * <pre>{@code
 * LogisticRegressionHead head = LogisticRegressionHead.trainer().l2(1e-2).seed(7).train(x, y, 2);
 * double[] p = head.probabilities(x[0]);   // one probability per class, summing to 1
 * }</pre>
 *
 * <p>Features are z-scored with the training mean and standard deviation, so dimensions on different
 * scales are penalised alike. The objective is mean cross-entropy plus {@code l2/2 · ‖W‖²} (bias not
 * penalised), minimised by mini-batch Adam over seeded shuffles with a decaying step.
 *
 * <p>Immutable and thread-safe once trained.
 */
public final class LogisticRegressionHead {
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
        return new Trainer(1e-2, 60, 64, 0.01, 42L);
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
     */
    public record Trainer(double l2, int epochs, int batchSize, double learningRate, long seed) {
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
            return new Trainer(value, epochs, batchSize, learningRate, seed);
        }

        public Trainer epochs(int value) {
            return new Trainer(l2, value, batchSize, learningRate, seed);
        }

        public Trainer batchSize(int value) {
            return new Trainer(l2, epochs, value, learningRate, seed);
        }

        public Trainer learningRate(double value) {
            return new Trainer(l2, epochs, batchSize, value, seed);
        }

        public Trainer seed(long value) {
            return new Trainer(l2, epochs, batchSize, learningRate, value);
        }

        /**
         * Trains on feature rows {@code x} with class indices {@code y} in {@code [0, classes)}.
         *
         * @throws IllegalArgumentException on empty or ragged input, or a class index out of range
         */
        public LogisticRegressionHead train(float[][] x, int[] y, int classes) {
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (x.length == 0 || x.length != y.length) {
                throw new IllegalArgumentException(
                        "x, y: expected the same non-zero number of rows, got " + x.length + " and " + y.length);
            }
            if (classes < 2) {
                throw new IllegalArgumentException("classes: expected >= 2, got " + classes);
            }
            int n = x.length;
            int d = x[0].length;
            for (int i = 0; i < n; i++) {
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
            double[][] z = new double[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    z[i][j] = (x[i][j] - mean[j]) / scale[j];
                }
            }
            double[][] w = new double[classes][d];
            double[] b = new double[classes];
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
                        for (int j = 0; j < d; j++) {
                            double g = gw[k][j] + l2 * w[k][j];
                            mw[k][j] = beta1 * mw[k][j] + (1 - beta1) * g;
                            vw[k][j] = beta2 * vw[k][j] + (1 - beta2) * g * g;
                            w[k][j] -= lr * (mw[k][j] / c1) / (Math.sqrt(vw[k][j] / c2) + eps);
                        }
                        mb[k] = beta1 * mb[k] + (1 - beta1) * gb[k];
                        vb[k] = beta2 * vb[k] + (1 - beta2) * gb[k] * gb[k];
                        b[k] -= lr * (mb[k] / c1) / (Math.sqrt(vb[k] / c2) + eps);
                    }
                }
            }
            return new LogisticRegressionHead(mean, scale, w, b);
        }
    }
}
