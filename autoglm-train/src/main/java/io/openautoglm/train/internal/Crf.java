package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.openautoglm.local.internal.Viterbi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A linear-chain conditional random field over per-token tag scores (emissions), the NER head's last layer. Its
 * parameters are {@code transitions[i][j]} (the score of tag {@code j} following tag {@code i}), {@code start} and
 * {@code end} (the score of a path starting or ending with a tag), all float32 on the manager given.
 *
 * <p>Masks mark real tokens ({@code true} or non-zero); a row's real tokens must be a prefix that includes its first
 * position. With BERT the natural choice is the attention mask, {@code [CLS]} and {@code [SEP]} included and tagged
 * O, so that the CRF also learns how tags open and close a sentence.
 *
 * <p>Temporaries of {@link #negativeLogLikelihood} belong to the manager of {@code emissions}: run each step in a
 * sub-manager. Parameters are only ever the second operand of an operation for that reason (DJL attaches a result
 * to its first operand's manager, so the other order would pile temporaries up on the parameters' manager).
 */
public final class Crf implements AutoCloseable {
    private static final float INIT_RANGE = 0.1f;

    private final int numTags;
    private final NDArray transitions;
    private final NDArray start;
    private final NDArray end;

    /** A CRF with parameters drawn uniformly from ±0.1, reproducibly from {@code seed}. */
    public Crf(NDManager manager, int numTags, long seed) {
        this(manager, randomValues(numTags, new Random(seed)));
    }

    /**
     * A CRF with the given parameter values, as {@link #values()} exported them.
     *
     * @throws IllegalArgumentException when a value is missing or the sizes disagree
     */
    public Crf(NDManager manager, Map<String, float[]> values) {
        float[] s = required(values, "start");
        this.numTags = s.length;
        this.transitions = parameter(manager, required(values, "transitions"), numTags, numTags);
        this.start = parameter(manager, s, numTags);
        this.end = parameter(manager, required(values, "end"), numTags);
    }

    public int numTags() {
        return numTags;
    }

    /** The trainable arrays: transitions, start, end. */
    public List<NDArray> parameters() {
        return List.of(transitions, start, end);
    }

    /** The parameter values, row-major, by name ({@code transitions}, {@code start}, {@code end}), for saving. */
    public Map<String, float[]> values() {
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("transitions", transitions.toFloatArray());
        values.put("start", start.toFloatArray());
        values.put("end", end.toFloatArray());
        return values;
    }

    /**
     * The mean over the batch of {@code -log p(tags | emissions)}, differentiable with respect to the emissions and
     * the parameters.
     *
     * @param emissions {@code [B, L, T]} float32 tag scores
     * @param tags      {@code [B, L]} int64 gold tags; those at masked positions are ignored
     * @param mask      {@code [B, L]} boolean or integer, true for real tokens
     * @return a scalar
     */
    public NDArray negativeLogLikelihood(NDArray emissions, NDArray tags, NDArray mask) {
        NDArray real = mask.toType(DataType.FLOAT32, true);
        // padding tags may be anything (-100 is common); zeroing them keeps oneHot in range, and they are masked out
        NDArray gold = tags.toType(DataType.INT64, false)
                .mul(real.toType(DataType.INT64, false))
                .oneHot(numTags, DataType.FLOAT32);
        return logPartition(emissions, real)
                .sub(goldScore(emissions, gold, real))
                .mean();
    }

    /** Each row's score of the gold path, {@code [B]}; {@code gold} is the tags one-hot, {@code [B, L, T]}. */
    private NDArray goldScore(NDArray emissions, NDArray gold, NDArray real) {
        long length = emissions.getShape().get(1);
        NDArray emitted = gold.mul(emissions).sum(new int[] {2}).mul(real).sum(new int[] {1});
        NDArray first = gold.get(new NDIndex(":, 0, :")).mul(start).sum(new int[] {1});
        // the last real position is where the mask steps from 1 to 0 (real tokens form a prefix)
        NDArray after = real.get(new NDIndex(":, 1:"))
                .concat(real.get(new NDIndex(":, :1")).zerosLike(), 1);
        NDArray last = gold.mul(real.sub(after).expandDims(2)).sum(new int[] {1});
        NDArray scores = emitted.add(first).add(last.mul(end).sum(new int[] {1}));
        if (length > 1) {
            NDArray previous = gold.get(new NDIndex(":, :-1, :"));
            NDArray next = gold.get(new NDIndex(":, 1:, :"));
            NDArray moved = previous.matMul(transitions).mul(next).sum(new int[] {2});
            scores = scores.add(moved.mul(real.get(new NDIndex(":, 1:"))).sum(new int[] {1}));
        }
        return scores;
    }

    /** The forward algorithm: each row's log of the summed exp-scores of all tag paths, {@code [B]}. */
    private NDArray logPartition(NDArray emissions, NDArray real) {
        long length = emissions.getShape().get(1);
        // alpha[b, j]: log-sum of the scores of all paths through the row's first i+1 tokens that end in tag j
        NDArray alpha = emissions.get(new NDIndex(":, 0, :")).add(start);
        for (long i = 1; i < length; i++) {
            NDArray emission = emissions.get(new NDIndex(":, {}, :", i)).expandDims(1); // [B, 1, T]
            NDArray next = logSumExp(alpha.expandDims(2).add(transitions).add(emission), 1); // over the previous tag
            NDArray m = real.get(new NDIndex(":, {}", i)).expandDims(1);
            // past a row's end alpha is carried forward unchanged
            alpha = next.mul(m).add(alpha.mul(m.neg().add(1f)));
        }
        return logSumExp(alpha.add(end), 1);
    }

    /** {@code log(sum(exp(x)))} along an axis, shifted by the maximum so that exp cannot overflow. */
    private static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true).stopGradient();
        return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /**
     * The best tag path of each row, over its real tokens (so each path is as long as its row's real prefix). Runs
     * in plain Java ({@link Viterbi}), as serving does.
     */
    public int[][] viterbi(NDArray emissions, NDArray mask) {
        Shape shape = emissions.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int length = Math.toIntExact(shape.get(1));
        float[] e = floats(emissions);
        boolean[] real = booleans(mask);
        float[] trans = transitions.toFloatArray();
        float[] first = start.toFloatArray();
        float[] last = end.toFloatArray();
        int[][] paths = new int[batch][];
        for (int b = 0; b < batch; b++) {
            int n = 0;
            while (n < length && real[b * length + n]) {
                n++;
            }
            paths[b] = Viterbi.decode(e, b * length * numTags, n, trans, first, last);
        }
        return paths;
    }

    @Override
    public void close() {
        transitions.close();
        start.close();
        end.close();
    }

    private static Map<String, float[]> randomValues(int numTags, Random random) {
        if (numTags < 1) {
            throw new IllegalArgumentException("numTags must be positive, got " + numTags);
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("transitions", uniform(numTags * numTags, random));
        values.put("start", uniform(numTags, random));
        values.put("end", uniform(numTags, random));
        return values;
    }

    private static float[] uniform(int size, Random random) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * INIT_RANGE;
        }
        return v;
    }

    private static float[] required(Map<String, float[]> values, String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("CRF values lack '" + name + "'; they have " + values.keySet());
        }
        return v;
    }

    private static NDArray parameter(NDManager manager, float[] values, long... shape) {
        Shape s = new Shape(shape);
        if (values.length != s.size()) {
            throw new IllegalArgumentException(
                    "CRF parameter of shape " + s + " needs " + s.size() + " values, got " + values.length);
        }
        NDArray p = manager.create(values, s);
        p.setRequiresGradient(true);
        return p;
    }

    /** The values as float32, detached, without leaving a temporary behind. */
    private static float[] floats(NDArray a) {
        try (NDManager scope = a.getManager().newSubManager()) {
            NDArray detached = a.stopGradient();
            detached.attach(scope);
            return detached.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static boolean[] booleans(NDArray a) {
        try (NDArray b = a.toType(DataType.BOOLEAN, true)) {
            return b.toBooleanArray();
        }
    }
}
