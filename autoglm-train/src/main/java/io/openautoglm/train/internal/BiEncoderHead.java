package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bi-encoder's "head": nothing to learn on top of the encoder. Each text of a pair is embedded alone (the first
 * token's state, unit-normalised, as the engine embeds a sentence) and the pair matches when the cosine similarity
 * of the two vectors reaches a threshold chosen on dev, as the local engine matches with a model that was not
 * fine-tuned. Serving needs the tuned graph and that threshold only.
 *
 * <p>Training ranks rather than classifies (CoSENT, Su 2022): for every non-matching pair {@code i} and matching pair
 * {@code j} of a batch the loss is {@code log(1 + Σ exp(λ(cos_i − cos_j)))} with {@code λ = 20}, so the encoder
 * learns to put every match above every non-match and the threshold is left to dev. A sentence encoder such as bge
 * learnt exactly this geometry in pretraining, which a cross-encoder's pair input discards: on AFQMC the untrained
 * cosine already ranks pairs better than a cross-encoder fine-tuned from it.
 */
public final class BiEncoderHead implements TaskHead {
    /** CoSENT's scale: cosine differences of a few hundredths become logits of about one. */
    static final float LAMBDA = 20f;

    private double threshold = Double.NaN; // until dev is scored: then a folder without one matches from the default

    @Override
    public Map<String, NDArray> parameters() {
        return Map.of();
    }

    @Override
    public boolean readsFirstTokenOnly() {
        return true;
    }

    /**
     * The cosine similarity of each pair, {@code [pairs]}, from the states of a batch whose first texts fill its first
     * rows and second texts the rest ({@link Batches#tensors}).
     */
    static NDArray cosines(NDArray hidden, int pairs) {
        NDArray unit = ClassificationHead.sentenceVectors(hidden);
        return unit.get("0:" + pairs).mul(unit.get(pairs + ":")).sum(new int[] {1});
    }

    /** CoSENT over the batch's (non-match, match) combinations; 0 when the batch holds one kind only. */
    @Override
    public NDArray loss(NDArray hidden, Batches.Batch batch) {
        List<Batches.Example> pairs = batch.examples();
        int n = pairs.size();
        NDArray scaled = cosines(hidden, n).mul(Scalars.of(hidden, LAMBDA));
        float[] s = scaled.toFloatArray();
        float[] chosen = new float[n * n]; // [i, j]: i does not match, j does
        float top = 0; // the largest exponent of any [i, j], and the "1" term's 0: subtracted for a stable log-sum-exp
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                chosen[i * n + j] = pairs.get(i).label() == 0 && pairs.get(j).label() == 1 ? 1 : 0;
                top = Math.max(top, s[i] - s[j]); // every entry is exponentiated before the mask: none may overflow
            }
        }
        NDManager m = hidden.getManager();
        NDArray differences = scaled.expandDims(1).sub(scaled.expandDims(0)).sub(top); // [i, j]: s_i − s_j − top
        NDArray sum = differences.exp().mul(m.create(chosen, new Shape(n, n))).sum();
        return sum.add((float) Math.exp(-top)).log().add(top);
    }

    @Override
    public Score score() {
        return new CalibratedScore(
                (hidden, batch) -> cosines(hidden, batch.examples().size()).toFloatArray(), -1, t -> threshold = t);
    }

    @Override
    public boolean calibratesOnDev() {
        return true;
    }

    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public String pairs() {
        return "a bi-encoder: each text of a pair embedded alone, the two vectors compared by cosine";
    }

    @Override
    public String decision() {
        return "a pair matches when the cosine similarity of its two texts' vectors (each text embedded alone)"
                + " reaches %.4f";
    }

    @Override
    public String metric() {
        return "accuracy";
    }

    @Override
    public Map<String, Object> served() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", "threshold"); // the engine's name for matching by a cosine threshold
        json.put("pooling", "cls");
        if (!Double.isNaN(threshold)) {
            json.put("threshold", threshold);
        }
        return json;
    }
}
