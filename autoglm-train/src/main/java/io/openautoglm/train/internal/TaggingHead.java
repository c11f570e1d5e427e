package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.openautoglm.local.internal.BioTags;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Named-entity recognition: BIO tag scores as a linear map of each token's state, and a CRF over them. Served by the
 * local engine as it is trained: the same linear map in Java, then Viterbi.
 */
public final class TaggingHead implements TaskHead {
    private final BioTags tags;
    private final NDArray weight; // [hidden, tags]
    private final NDArray bias; // [tags]
    private final Crf crf;

    public TaggingHead(NDManager manager, int hidden, BioTags tags, long seed) {
        this.tags = tags;
        Random random = new Random(seed);
        float[] w = new float[hidden * tags.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.02);
        }
        this.weight = manager.create(w, new Shape(hidden, tags.size()));
        this.bias = manager.zeros(new Shape(tags.size()));
        this.crf = new Crf(manager, tags.size(), seed + 1);
    }

    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("head.weight", weight);
        p.put("head.bias", bias);
        List<NDArray> c = crf.parameters();
        p.put("crf.transitions", c.get(0));
        p.put("crf.start", c.get(1));
        p.put("crf.end", c.get(2));
        return p;
    }

    /** {@code [batch, length, tags]} tag scores. */
    NDArray emissions(NDArray hidden) {
        return hidden.matMul(weight).add(bias);
    }

    @Override
    public NDArray loss(NDArray hidden, Batches.Batch batch) {
        return crf.negativeLogLikelihood(emissions(hidden), batch.tags(), batch.mask());
    }

    /** The best tag path of each row of the batch, over its real tokens. */
    public int[][] decode(NDArray hidden, Batches.Batch batch) {
        return crf.viterbi(emissions(hidden), batch.mask());
    }

    /**
     * Entity micro-F1 in token space: an entity counts when its first and last token and its type are the gold
     * entity's. The served model maps the same tokens back to characters, so the two agree wherever entity
     * boundaries fall on token boundaries (every Chinese character is a token).
     */
    @Override
    public Score score() {
        return new Score() {
            private long found;
            private long gold;
            private long right;

            @Override
            public void add(NDArray hidden, Batches.Batch batch) {
                int[][] paths = decode(hidden, batch);
                for (int r = 0; r < paths.length; r++) {
                    Batches.Example e = batch.examples().get(r);
                    int n = e.ids().length;
                    // [CLS] and [SEP] end any entity, as they do when served
                    java.util.function.IntPredicate special = t -> t == 0 || t == n - 1;
                    Set<BioTags.Span> predicted = new HashSet<>(tags.spans(paths[r], special));
                    List<BioTags.Span> expected = tags.spans(e.tags(), special);
                    found += predicted.size();
                    gold += expected.size();
                    right += expected.stream().filter(predicted::contains).count();
                }
            }

            @Override
            public double value() {
                if (found + gold == 0) {
                    return Double.NaN;
                }
                return 2.0 * right / (found + gold);
            }
        };
    }

    @Override
    public String metric() {
        return "entity micro-F1 (token spans)";
    }

    @Override
    public Map<String, Object> served() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("classes", tags.types());
        json.put("tags", tags.tags());
        json.put("pooling", "tokens");
        float[] w = weight.toFloatArray();
        int hidden = (int) weight.getShape().get(0);
        int n = tags.size();
        float[][] rows = new float[n][hidden];
        for (int h = 0; h < hidden; h++) {
            for (int k = 0; k < n; k++) {
                rows[k][h] = w[h * n + k];
            }
        }
        json.put("weights", rows);
        json.put("bias", bias.toFloatArray());
        json.put("crf", crf.values());
        return json;
    }
}
