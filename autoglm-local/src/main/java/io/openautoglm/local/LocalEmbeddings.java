package io.openautoglm.local;

import io.openautoglm.core.UsageMeter;
import io.openautoglm.local.internal.EmbeddingEngine;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A local sentence-embedding model: texts in, unit-length vectors out, with no network. Texts are cut to
 * {@link LocalOptions#maxTokens()}, sorted by length and run in batches; repeated texts come from a
 * bounded cache.
 *
 * <pre>{@code
 * try (LocalEmbeddings bge = LocalEmbeddings.open("local:bge-small-zh")) {
 *     float[][] v = bge.embed(List.of("房间很干净", "服务很差"));
 *     double similarity = LocalEmbeddings.cosine(v[0], v[1]);
 * }
 * }</pre>
 *
 * <p>Model names: {@code local:bge-small-zh} (int8, the default), {@code local:bge-small-zh-fp32},
 * {@code local:all-minilm-l6-v2}, or {@code local:<folder>} with {@code tokenizer.json} plus
 * {@code model.onnx} or a TorchScript {@code model.pt}.
 *
 * <p>Thread-safe. Holds native memory until {@link #close()}; closing waits for calls in flight.
 */
public final class LocalEmbeddings implements AutoCloseable {
    private final EmbeddingEngine engine;

    private LocalEmbeddings(EmbeddingEngine engine) {
        this.engine = engine;
    }

    /** Opens a model with default options. */
    public static LocalEmbeddings open(String modelName) {
        return open(modelName, LocalOptions.DEFAULTS);
    }

    /** Opens a model with options read from a provider options map (see {@link LocalOptions}). */
    public static LocalEmbeddings open(String modelName, Map<String, String> options) {
        return open(modelName, LocalOptions.fromMap(options));
    }

    /**
     * Opens a model.
     *
     * @throws io.openautoglm.core.AutoGlmException when the model's artifact or folder is missing or cannot be read;
     *                                             the message names the artifact or path
     */
    public static LocalEmbeddings open(String modelName, LocalOptions options) {
        Objects.requireNonNull(options, "options");
        return new LocalEmbeddings(EmbeddingEngine.open(modelName, options, LocalEmbeddings.class.getClassLoader()));
    }

    /** The engine underneath, for predictors that need more than sentence vectors. */
    EmbeddingEngine engine() {
        return engine;
    }

    /** The name it was opened with. */
    public String name() {
        return engine.name();
    }

    /** The length of every vector. */
    public int dimension() {
        return engine.dimension();
    }

    public LocalOptions options() {
        return engine.options();
    }

    /** Embeds texts; see {@link #embed(List, UsageMeter)}. */
    public float[][] embed(List<String> texts) {
        return engine.embed(texts, null);
    }

    /**
     * Embeds texts into unit-length vectors, one per text, in input order. Each forward pass is recorded on
     * {@code usage} (one call, its real token count, no cost); texts cut to {@code maxTokens} are counted
     * with {@link UsageMeter#recordTruncated}. The caller owns the returned arrays.
     *
     * @param usage where to record work, or {@code null}
     */
    public float[][] embed(List<String> texts, UsageMeter usage) {
        return engine.embed(Objects.requireNonNull(texts, "texts"), usage);
    }

    /** Tokens the model sees for a text after truncation, special tokens included. */
    public int tokenCount(String text) {
        return engine.tokenCount(text);
    }

    /** Embeddings held in the cache now. */
    public int cachedCount() {
        return engine.cachedCount();
    }

    /** Empties the cache, e.g. before timing a run. */
    public void clearCache() {
        engine.clearCache();
    }

    /** Cosine similarity; for this class's unit-length vectors, the dot product. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors differ in length: " + a.length + " vs " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Frees the native model and tokenizer. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "LocalEmbeddings[" + name() + ", dimension " + dimension() + ", " + options() + "]";
    }
}
