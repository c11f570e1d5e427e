package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BERT encoder as BERT defines it (embeddings, post-LayerNorm blocks of multi-head self-attention and an exact-GELU
 * feed-forward), written with DJL's NDArray operations so that PyTorch differentiates it. DJL's own {@code BertBlock}
 * normalises with BatchNorm and cannot take BERT's weights; this one takes them by their PyTorch names, as
 * {@link OnnxWeights} reads them, with projection matrices stored {@code [in, out]}.
 *
 * <p>The parameters live on the manager given at construction; each forward pass creates its temporaries on the
 * manager of its inputs, so a caller that opens a sub-manager per batch frees them all at once.
 */
public final class BertEncoder {
    /** BERT's LayerNorm epsilon (bge keeps it). */
    static final float EPS = 1e-12f;
    /** The vocabulary table: almost half of bge-small-zh's parameters, most rows unseen by any one batch. */
    public static final String WORDS = "embeddings.word_embeddings.weight";

    private final int layers;
    private final int hidden;
    private final int heads;
    private final float dropout;
    private final Map<String, NDArray> params;

    private BertEncoder(int layers, int hidden, int heads, float dropout, Map<String, NDArray> params) {
        this.layers = layers;
        this.hidden = hidden;
        this.heads = heads;
        this.dropout = dropout;
        this.params = params;
    }

    /**
     * The encoder of an ONNX export, its size read from the weights. The weights do not say how many attention heads
     * share the width: this guesses {@code hidden / 64}, as in bge and BERT; {@link EncoderCheck} settles it against
     * ONNX Runtime.
     */
    public static BertEncoder from(OnnxWeights weights, NDManager manager, float dropout) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (String name : weights.names()) {
            if (!name.startsWith("embeddings.") && !name.startsWith("encoder.layer.")) {
                continue; // a pooler, if the export kept one: BERT fine-tuning here does not use it
            }
            OnnxWeights.Tensor t = weights.get(name);
            params.put(name, manager.create(t.values(), new Shape(t.shape())));
        }
        NDArray words = params.get(WORDS);
        int hidden = words == null ? 64 : (int) words.getShape().get(1);
        return of(params, Math.max(1, hidden / 64), dropout);
    }

    /**
     * An encoder on the given parameters, by PyTorch name, projection matrices {@code [in, out]}; the number of layers
     * and the width are read from them.
     */
    static BertEncoder of(Map<String, NDArray> params, int heads, float dropout) {
        int layers = 0;
        for (String name : params.keySet()) {
            if (name.startsWith("encoder.layer.")) {
                int n = Integer.parseInt(name.substring("encoder.layer.".length(), name.indexOf('.', 14)));
                layers = Math.max(layers, n + 1);
            }
        }
        NDArray words = params.get(WORDS);
        if (words == null || layers == 0) {
            throw new IllegalArgumentException("not a BERT encoder: no embeddings.word_embeddings.weight or no layers");
        }
        return new BertEncoder(layers, (int) words.getShape().get(1), 1, dropout, params).withHeads(heads);
    }

    /**
     * Gives a pair's second text the first text's segment embedding when pretraining never trained the second's.
     * Sentence encoders such as bge learn from single texts, so their type-1 row keeps its random initialisation (in
     * bge-small-zh its norm is 0.42, the type-0 row's 1.57, a word's about 1.55): every token of a pair's second text
     * would then lose a vector as large as its word's and gain noise, a shift the layers never saw. Copied, both texts
     * start on the distribution the layers know, and the row is still trained, so fine-tuning can tell the texts apart
     * again. A row at least half as long as the first is taken as trained and kept.
     *
     * @return the two rows' norms when the second was replaced, else {@code null}
     */
    public double[] seedSecondSegment() {
        NDArray table = params.get("embeddings.token_type_embeddings.weight");
        if (table == null || table.getShape().get(0) < 2) {
            return null;
        }
        float[] rows = table.toFloatArray();
        double first = 0;
        double second = 0;
        for (int i = 0; i < hidden; i++) {
            first += rows[i] * (double) rows[i];
            second += rows[hidden + i] * (double) rows[hidden + i];
        }
        double[] norms = {Math.sqrt(first), Math.sqrt(second)};
        if (norms[1] >= 0.5 * norms[0]) {
            return null;
        }
        System.arraycopy(rows, 0, rows, hidden, hidden);
        table.set(java.nio.FloatBuffer.wrap(rows));
        return norms;
    }

    /** The same parameters read with another number of attention heads; the width must divide evenly. */
    public BertEncoder withHeads(int count) {
        if (count < 1 || hidden % count != 0) {
            throw new IllegalArgumentException("heads: " + count + " does not divide the width " + hidden);
        }
        return new BertEncoder(layers, hidden, count, dropout, params);
    }

    public int heads() {
        return heads;
    }

    public int hidden() {
        return hidden;
    }

    public int layers() {
        return layers;
    }

    /** The parameters by PyTorch name, in the export's order; projection matrices {@code [in, out]}. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /**
     * The last hidden states, {@code [batch, length, hidden]}.
     *
     * @param ids      token ids, int64 {@code [batch, length]}
     * @param mask     1 for real tokens, 0 for padding, int64 {@code [batch, length]}
     * @param types    segment ids (0, or 1 for a pair's second text), int64 {@code [batch, length]}
     * @param training whether dropout applies
     */
    public NDArray forward(NDArray ids, NDArray mask, NDArray types, boolean training) {
        return forward(ids, mask, types, training, false);
    }

    /**
     * The last layer's state of the first token only, {@code [batch, 1, hidden]}, for heads that read nothing else
     * ([CLS] pooling). Without dropout the result and its gradients are exactly those of {@link #forward}'s first
     * token; with it, the same in distribution (fewer masks are drawn, so a seed draws other ones). The last layer's
     * keys and values still come from every token, but its query, attention output and feed-forward run for one
     * token instead of all, a fifth of a four-layer encoder's work, in training as in the ONNX engine's serving.
     */
    public NDArray forwardFirstToken(NDArray ids, NDArray mask, NDArray types, boolean training) {
        return forward(ids, mask, types, training, true);
    }

    private NDArray forward(NDArray ids, NDArray mask, NDArray types, boolean training, boolean firstTokenOnly) {
        long length = ids.getShape().get(1);
        NDManager m = ids.getManager();
        NDArray positions = m.arange(0, length, 1, DataType.INT64).expandDims(0);
        NDArray x = embed(ids, "word").add(embed(positions, "position")).add(embed(types, "token_type"));
        x = drop(norm(x, "embeddings.LayerNorm"), training);
        // padding is kept out of attention by a large negative score: [batch, 1, 1, length]
        NDArray bias = mask.toType(DataType.FLOAT32, false)
                .neg()
                .add(1f)
                .mul(-10000f)
                .expandDims(1)
                .expandDims(1);
        for (int i = 0; i < layers; i++) {
            x = layer(x, bias, "encoder.layer." + i + ".", training, firstTokenOnly && i == layers - 1);
        }
        return x;
    }

    /** One block; with {@code firstTokenOnly} the queries, and so everything after attention, are the first token's. */
    private NDArray layer(NDArray x, NDArray bias, String p, boolean training, boolean firstTokenOnly) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        int width = hidden / heads;
        NDArray queried = firstTokenOnly ? x.get(":, 0:1, :") : x;
        long queries = queried.getShape().get(1);
        NDArray q = split(linear(queried, p + "attention.self.query"), batch, queries, width);
        NDArray k = split(linear(x, p + "attention.self.key"), batch, length, width);
        NDArray v = split(linear(x, p + "attention.self.value"), batch, length, width);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))
                .div(Scalars.of(q, (float) Math.sqrt(width)))
                .add(bias);
        NDArray context = drop(scores.softmax(-1), training)
                .matMul(v)
                .transpose(0, 2, 1, 3)
                .reshape(batch, queries, hidden);
        NDArray attended = drop(linear(context, p + "attention.output.dense"), training);
        x = norm(attended.add(queried), p + "attention.output.LayerNorm");
        NDArray inner = Activation.gelu(linear(x, p + "intermediate.dense"));
        NDArray out = drop(linear(inner, p + "output.dense"), training);
        return norm(out.add(x), p + "output.LayerNorm");
    }

    private NDArray split(NDArray x, long batch, long length, int width) {
        return x.reshape(batch, length, heads, width).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(param(name + ".weight")).add(param(name + ".bias"));
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(hidden), param(name + ".weight"), param(name + ".bias"), EPS)
                .singletonOrThrow();
    }

    private NDArray embed(NDArray ids, String table) {
        return Embedding.embedding(ids, param("embeddings." + table + "_embeddings.weight"), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private NDArray param(String name) {
        NDArray p = params.get(name);
        if (p == null) {
            throw new IllegalStateException("the encoder has no parameter " + name);
        }
        return p;
    }
}
