package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.openautoglm.local.LogisticRegressionHead;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Classes from the first token's state, unit-normalised as the embedded engine normalises its sentence vectors, times
 * a fixed scale, through a linear layer. Serving then needs only the engine's usual vector and {@code scale · W}:
 * no PyTorch.
 */
public final class ClassificationHead implements TaskHead {
    /** Logits of a unit vector through small weights would be tiny; a cosine classifier's usual scale. */
    public static final float SCALE = 20f;

    private final NDArray weight; // [hidden, classes]
    private final NDArray bias; // [classes]
    private final List<String> classes;

    public ClassificationHead(NDManager manager, int hidden, List<String> classes, long seed) {
        Random random = new Random(seed);
        this.classes = List.copyOf(classes);
        float[] w = new float[hidden * classes.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.02);
        }
        this.weight = manager.create(w, new Shape(hidden, classes.size()));
        this.bias = manager.zeros(new Shape(classes.size()));
    }

    /**
     * Starts the head at a linear classifier of the unit first-token vector, {@code weights[c] · v + bias[c]}: the
     * weights are stored divided by {@link #SCALE}, so that {@link #logits} gives exactly those logits.
     */
    public void start(LogisticRegressionHead.Linear linear) {
        double[][] weights = linear.weights();
        double[] bias = linear.bias();
        int hidden = (int) weight.getShape().get(0);
        int classes = this.classes.size();
        float[] w = new float[hidden * classes];
        float[] b = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int h = 0; h < hidden; h++) {
                w[h * classes + c] = (float) (weights[c][h] / SCALE);
            }
            b[c] = (float) bias[c];
        }
        weight.set(java.nio.FloatBuffer.wrap(w));
        this.bias.set(java.nio.FloatBuffer.wrap(b));
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("head.weight", weight);
        p.put("head.bias", bias);
        return p;
    }

    /** {@code [batch, classes]} from the encoder's {@code [batch, length, hidden]}. */
    public NDArray logits(NDArray hidden) {
        return sentenceVectors(hidden)
                .matMul(weight)
                .mul(Scalars.of(hidden, SCALE))
                .add(bias);
    }

    /** Each row's first-token state, unit-normalised as the engine's sentence vectors: {@code [rows, hidden]}. */
    static NDArray sentenceVectors(NDArray hidden) {
        NDArray cls = hidden.get(":, 0, :");
        return cls.div(cls.square().sum(new int[] {1}, true).sqrt().add(1e-12f));
    }

    @Override
    public boolean readsFirstTokenOnly() {
        return true;
    }

    @Override
    public NDArray loss(NDArray hidden, Batches.Batch batch) {
        return loss(
                hidden,
                batch.examples().stream().mapToInt(Batches.Example::label).toArray());
    }

    /** Mean cross-entropy against class indices. */
    public NDArray loss(NDArray hidden, int[] labels) {
        NDArray logits = logits(hidden);
        NDArray gold = logits.getManager()
                .create(labels)
                .toType(DataType.INT64, false)
                .oneHot((int) logits.getShape().get(1))
                .toType(DataType.FLOAT32, false);
        return logits.logSoftmax(1).mul(gold).sum(new int[] {1}).neg().mean();
    }

    @Override
    public Score score() {
        return new Score() {
            private int right;
            private int seen;

            @Override
            public void add(NDArray hidden, Batches.Batch batch) {
                long[] best = logits(hidden).argMax(1).toLongArray();
                for (int i = 0; i < best.length; i++) {
                    right += best[i] == batch.examples().get(i).label() ? 1 : 0;
                }
                seen += best.length;
            }

            @Override
            public double value() {
                return seen == 0 ? Double.NaN : (double) right / seen;
            }
        };
    }

    @Override
    public String metric() {
        return "accuracy";
    }

    @Override
    public Map<String, Object> served() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("classes", classes);
        json.put("pooling", "cls");
        json.put("weights", servedWeights());
        json.put("bias", bias.toFloatArray());
        return json;
    }

    /** The served form: {@code [classes][hidden]} weights with the scale folded in. */
    public float[][] servedWeights() {
        float[] w = weight.toFloatArray();
        int hidden = (int) weight.getShape().get(0);
        int classes = (int) weight.getShape().get(1);
        float[][] out = new float[classes][hidden];
        for (int h = 0; h < hidden; h++) {
            for (int c = 0; c < classes; c++) {
                out[c][h] = w[h * classes + c] * SCALE;
            }
        }
        return out;
    }
}
