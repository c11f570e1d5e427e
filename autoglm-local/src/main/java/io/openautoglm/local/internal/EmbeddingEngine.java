package io.openautoglm.local.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.openautoglm.core.AutoGlmException;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.local.LocalOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentence-embedding model: tokenizer, length-sorted batches, forward passes, pooling, an LRU cache. ONNX
 * models run on ONNX Runtime's own API, TorchScript folders on DJL's PyTorch engine; the HuggingFace tokenizer
 * is DJL's. Unless {@code device} asks for a GPU, nothing probes for CUDA (see {@link DjlCudaProbe}).
 * Thread-safe: forward passes are admitted through a semaphore ({@code parallelRuns}) and {@link #close()}
 * waits for the passes in flight before it frees native memory.
 */
public final class EmbeddingEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingEngine.class);

    private final String name;
    private final LocalOptions options;
    private final boolean meanPooling;
    private final Encoder encoder;
    private final HuggingFaceTokenizer tokenizer;
    private final Semaphore passes;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final LruCache<String, Cached> cache;
    private final int dimension;
    private final ExecutorService workers;
    private volatile boolean closed;

    /** A cached embedding and whether its text had been cut, so repeats are counted as cut again. */
    private record Cached(float[] vector, boolean truncated) {}

    private EmbeddingEngine(
            String name, LocalOptions options, boolean meanPooling, Encoder encoder, HuggingFaceTokenizer tokenizer) {
        this.name = name;
        this.options = options;
        this.meanPooling = meanPooling;
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.passes = new Semaphore(options.parallelRuns(), true);
        this.cache = options.cacheSize() > 0 ? new LruCache<>(options.cacheSize()) : null;
        this.workers = options.parallelRuns() > 1
                ? Executors.newFixedThreadPool(options.parallelRuns(), r -> {
                    Thread t = new Thread(r, "autoglm-local-" + name);
                    t.setDaemon(true);
                    return t;
                })
                : null;
        try {
            this.dimension = embedUncached(List.of("dimension probe"), null)[0].length;
        } catch (RuntimeException e) {
            if (workers != null) {
                workers.shutdownNow();
            }
            throw e;
        }
    }

    /**
     * Loads a model by {@code local:…} name.
     *
     * @throws AutoGlmException when the files are missing, the runtime is absent (the message names the artifact
     *                          to add), or the model cannot be read
     */
    public static EmbeddingEngine open(String modelName, LocalOptions options, ClassLoader loader) {
        long start = System.nanoTime();
        ModelLocator.Located located = ModelLocator.locate(modelName, loader);
        DjlCudaProbe.keepOffUnlessNeeded(loader, options.gpu());
        Encoder encoder = null;
        HuggingFaceTokenizer tokenizer = null;
        String pooling = options.pooling() != null ? options.pooling() : located.pooling();
        boolean mean = pooling.equals("mean");
        try {
            // the model first: a missing runtime or a device it cannot use fails before any tokenizer native loads
            if (located.engine().equals("OnnxRuntime")) {
                if (loader.getResource("ai/onnxruntime/OrtSession.class") == null) {
                    throw new AutoGlmException("Model '" + modelName + "' needs ONNX Runtime, which is not on the "
                            + "classpath: add com.microsoft.onnxruntime:onnxruntime:" + OnnxEncoder.ORT_VERSION
                            + " (or onnxruntime_gpu for a GPU).");
                }
                encoder =
                        OnnxEncoder.open(modelName, located.modelFile(), options, loader, !mean && !tagger(modelName));
            } else {
                encoder = TorchScriptEncoder.open(modelName, located.modelFile(), options);
            }
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(located.tokenizerFile())
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optMaxLength(options.maxTokens())
                    .optPadding(false)
                    .build();
            EmbeddingEngine engine = new EmbeddingEngine(modelName, options, mean, encoder, tokenizer);
            LOG.info(
                    "Loaded {} ({} engine, {} pooling, dimension {}, maxTokens {}, device {}) in {} ms",
                    modelName,
                    located.engine(),
                    pooling,
                    engine.dimension,
                    options.maxTokens(),
                    options.device(),
                    (System.nanoTime() - start) / 1_000_000);
            return engine;
        } catch (IOException | RuntimeException e) {
            if (encoder != null) {
                encoder.close();
            }
            if (tokenizer != null) {
                tokenizer.close();
            }
            if (e instanceof AutoGlmException ae) {
                throw ae;
            }
            throw new AutoGlmException(
                    "Could not load model '" + modelName + "' from " + located.modelFile() + ": " + e.getMessage(), e);
        } finally {
            located.release();
        }
    }

    /** Whether the model is a folder fine-tuned to tag tokens, which reads every token's state. */
    private static boolean tagger(String modelName) {
        try {
            TunedHead head = TunedHead.find(modelName);
            return head != null && head.task().equals(TunedHead.NER);
        } catch (RuntimeException e) {
            return true; // an unreadable head: serve the whole graph, and LocalModel reports the head
        }
    }

    public String name() {
        return name;
    }

    public int dimension() {
        return dimension;
    }

    public LocalOptions options() {
        return options;
    }

    /** Cached embeddings right now. */
    public int cachedCount() {
        return cache == null ? 0 : cache.size();
    }

    /** Empties the cache, e.g. between benchmark rounds. */
    public void clearCache() {
        if (cache != null) {
            cache.clear();
        }
    }

    /** Number of tokens (special tokens included, after truncation) the model would see for a text. */
    public int tokenCount(String text) {
        return tokenized(t -> t.encode(text).getIds().length);
    }

    /**
     * Embeds texts, unit-normalised, in input order. Texts seen before come from the cache; a text repeated
     * within the call is run once. Each forward pass is recorded on {@code usage} (if not null) with its
     * real (unpadded) token count; cut texts are reported with {@link UsageMeter#recordTruncated}.
     */
    public float[][] embed(List<String> texts, UsageMeter usage) {
        checkOpen();
        float[][] out = new float[texts.size()][];
        Map<String, List<Integer>> missing = new HashMap<>();
        List<String> order = new ArrayList<>();
        long truncatedHits = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
            Cached hit = cache == null ? null : cache.get(text);
            if (hit != null) {
                out[i] = hit.vector().clone();
                truncatedHits += hit.truncated() ? 1 : 0;
            } else {
                missing.computeIfAbsent(text, t -> {
                            order.add(t);
                            return new ArrayList<>();
                        })
                        .add(i);
            }
        }
        if (usage != null && truncatedHits > 0) {
            usage.recordTruncated(truncatedHits);
        }
        if (!order.isEmpty()) {
            boolean[] cut = new boolean[order.size()];
            float[][] fresh = embedTexts(order, usage, cut);
            long repeatedCuts = 0;
            for (int u = 0; u < order.size(); u++) {
                if (cache != null) {
                    cache.put(order.get(u), new Cached(fresh[u], cut[u]));
                }
                List<Integer> positions = missing.get(order.get(u));
                repeatedCuts += cut[u] ? positions.size() - 1 : 0;
                for (int p = 0; p < positions.size(); p++) {
                    // callers own what they get: never hand out the cached array itself
                    out[positions.get(p)] = p == 0 && cache == null ? fresh[u] : fresh[u].clone();
                }
            }
            if (usage != null && repeatedCuts > 0) {
                // a cut text given twice counts twice, as it does when its second copy comes from the cache
                usage.recordTruncated(repeatedCuts);
            }
        }
        return out;
    }

    private float[][] embedUncached(List<String> texts, UsageMeter usage) {
        return embedTexts(texts, usage, new boolean[texts.size()]);
    }

    /** Tokenises, sorts by length, runs sub-batches and puts the vectors back in input order. */
    private float[][] embedTexts(List<String> texts, UsageMeter usage, boolean[] truncatedOut) {
        return vectors(tokenized(t -> t.batchEncode(texts)), usage, truncatedOut);
    }

    /** Runs {@code work} on the tokenizer, which is native memory that close() frees: not while a call is inside. */
    private <T> T tokenized(java.util.function.Function<HuggingFaceTokenizer, T> work) {
        lifecycle.readLock().lock();
        try {
            checkOpen();
            return work.apply(tokenizer);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * One vector per pair, each pair read as one input {@code [CLS] a [SEP] b [SEP]} (token types 0 and 1), pooled
     * as single texts are: what a cross-encoder's head reads. Not cached. Cut pairs are reported with
     * {@link UsageMeter#recordTruncated}.
     */
    public float[][] embedPairs(List<String> first, List<String> second, UsageMeter usage) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException(first.size() + " first texts for " + second.size() + " second texts");
        }
        ai.djl.util.PairList<String, String> pairs = new ai.djl.util.PairList<>(first, second);
        return vectors(tokenized(t -> t.batchEncode(pairs)), usage, new boolean[first.size()]);
    }

    private float[][] vectors(Encoding[] encodings, UsageMeter usage, boolean[] truncatedOut) {
        long truncated = 0;
        for (int i = 0; i < encodings.length; i++) {
            truncatedOut[i] = encodings[i].exceedMaxLength();
            truncated += truncatedOut[i] ? 1 : 0;
        }
        if (usage != null && truncated > 0) {
            usage.recordTruncated(truncated);
        }
        Integer[] byLength = new Integer[encodings.length];
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = i;
        }
        // Sorting puts texts of similar length together, so little compute goes into padding.
        Arrays.sort(byLength, Comparator.comparingInt(i -> encodings[i].getIds().length));
        float[][] out = new float[encodings.length][];
        int size = options.batchSize();
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < byLength.length; from += size) {
            ranges.add(new int[] {from, Math.min(byLength.length, from + size)});
        }
        if (workers == null || ranges.size() < 2) {
            for (int[] range : ranges) {
                runRange(range, byLength, encodings, out, usage);
            }
            return out;
        }
        // Several passes at once (parallelRuns > 1): each sub-batch is a task; the semaphore still bounds them.
        List<Future<?>> futures = new ArrayList<>();
        for (int[] range : ranges) {
            futures.add(workers.submit(() -> runRange(range, byLength, encodings, out, usage)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                futures.forEach(x -> x.cancel(true));
                Thread.currentThread().interrupt();
                throw new AutoGlmException("interrupted while embedding with " + name, e);
            } catch (CancellationException e) {
                throw new IllegalStateException("model " + name + " was closed while embedding");
            } catch (ExecutionException e) {
                futures.forEach(x -> x.cancel(true));
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new AutoGlmException("embedding with " + name + " failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    private void runRange(int[] range, Integer[] byLength, Encoding[] encodings, float[][] out, UsageMeter usage) {
        Encoding[] batch = new Encoding[range[1] - range[0]];
        for (int j = range[0]; j < range[1]; j++) {
            batch[j - range[0]] = encodings[byLength[j]];
        }
        float[][] vectors = forward(batch, usage);
        for (int j = range[0]; j < range[1]; j++) {
            out[byLength[j]] = vectors[j - range[0]];
        }
    }

    private float[][] forward(Encoding[] batch, UsageMeter usage) {
        int rows = batch.length;
        int width = 0;
        long realTokens = 0;
        for (Encoding e : batch) {
            width = Math.max(width, e.getIds().length);
            realTokens += e.getIds().length;
        }
        // row-major (rows × width); padding is id 0, type 0, mask 0
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] types = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            long[] id = batch[r].getIds();
            long[] tt = batch[r].getTypeIds();
            System.arraycopy(id, 0, ids, r * width, id.length);
            System.arraycopy(tt, 0, types, r * width, tt.length);
            Arrays.fill(mask, r * width, r * width + id.length, 1L);
        }
        return pool(pass(ids, mask, types, rows, width, realTokens, usage), mask, rows, width);
    }

    /** One forward pass, within the bound on passes at once, recorded on {@code usage} with its real tokens. */
    private Encoder.Output pass(
            long[] ids, long[] mask, long[] types, int rows, int width, long realTokens, UsageMeter usage) {
        Encoder.Output result;
        try {
            passes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoGlmException("interrupted while waiting to run " + name, e);
        }
        lifecycle.readLock().lock();
        try {
            checkOpen();
            result = encoder.run(ids, mask, types, rows, width);
        } finally {
            lifecycle.readLock().unlock();
            passes.release();
        }
        if (usage != null) {
            usage.record(realTokens, 0, 0.0);
        }
        return result;
    }

    /** One text's tokens, with their places in the text, and the encoder's state for each ({@code tokens × hidden}). */
    public record TokenStates(TokenOffsets tokens, float[] states, int hidden) {}

    /**
     * The encoder's last-layer state of every token, for taggers: texts are folded and tokenised as
     * {@link TokenOffsets#encode} does (as in training), run in length-sorted batches, and returned in input order.
     * Not cached. Cut texts are reported with {@link UsageMeter#recordTruncated}.
     *
     * @throws AutoGlmException when the model returns sentence vectors rather than token states
     */
    public List<TokenStates> tokenStates(List<String> texts, UsageMeter usage) {
        TokenOffsets[] tokens = tokenized(
                t -> texts.stream().map(text -> TokenOffsets.encode(t, text)).toArray(TokenOffsets[]::new));
        long truncated = Arrays.stream(tokens).filter(TokenOffsets::truncated).count();
        if (usage != null && truncated > 0) {
            usage.recordTruncated(truncated);
        }
        Integer[] byLength = new Integer[tokens.length];
        Arrays.setAll(byLength, i -> i);
        Arrays.sort(byLength, Comparator.comparingInt(i -> tokens[i].size()));
        TokenStates[] out = new TokenStates[tokens.length];
        for (int from = 0; from < byLength.length; from += options.batchSize()) {
            int rows = Math.min(options.batchSize(), byLength.length - from);
            int width = tokens[byLength[from + rows - 1]].size();
            long[] ids = new long[rows * width];
            long[] mask = new long[rows * width];
            long realTokens = 0;
            for (int r = 0; r < rows; r++) {
                long[] id = tokens[byLength[from + r]].ids();
                System.arraycopy(id, 0, ids, r * width, id.length);
                Arrays.fill(mask, r * width, r * width + id.length, 1L);
                realTokens += id.length;
            }
            Encoder.Output o = pass(ids, mask, new long[rows * width], rows, width, realTokens, usage);
            long[] shape = o.shape();
            if (shape.length != 3 || shape[0] != rows || shape[1] != width) {
                throw new AutoGlmException("Model " + name + " returned a tensor of shape " + Arrays.toString(shape)
                        + " for " + rows + " texts of " + width + " tokens; a tagger needs the state of every token "
                        + "(batch, tokens, hidden)");
            }
            int hidden = (int) shape[2];
            for (int r = 0; r < rows; r++) {
                TokenOffsets t = tokens[byLength[from + r]];
                int base = r * width * hidden;
                out[byLength[from + r]] =
                        new TokenStates(t, Arrays.copyOfRange(o.values(), base, base + t.size() * hidden), hidden);
            }
        }
        return List.of(out);
    }

    /** CLS or mean pooling in plain Java, then L2 normalisation. */
    private float[][] pool(Encoder.Output output, long[] mask, int rows, int width) {
        long[] shape = output.shape();
        float[] flat = output.values();
        float[][] out = new float[rows][];
        if (shape.length == 2 && shape[0] == rows) {
            int hidden = (int) shape[1];
            for (int r = 0; r < rows; r++) {
                out[r] = normalise(Arrays.copyOfRange(flat, r * hidden, (r + 1) * hidden));
            }
            return out;
        }
        if (shape.length != 3 || shape[0] != rows) {
            throw new AutoGlmException("Model " + name + " returned a tensor of shape " + Arrays.toString(shape)
                    + " for " + rows + " texts; expected token states (batch, tokens, hidden) or sentence vectors "
                    + "(batch, hidden)");
        }
        int tokens = (int) shape[1];
        int hidden = (int) shape[2];
        for (int r = 0; r < rows; r++) {
            float[] v = new float[hidden];
            int base = r * tokens * hidden;
            if (!meanPooling) {
                System.arraycopy(flat, base, v, 0, hidden);
            } else {
                int counted = 0;
                for (int t = 0; t < Math.min(tokens, width); t++) {
                    if (mask[r * width + t] == 0) {
                        continue;
                    }
                    counted++;
                    int off = base + t * hidden;
                    for (int h = 0; h < hidden; h++) {
                        v[h] += flat[off + h];
                    }
                }
                for (int h = 0; h < hidden; h++) {
                    v[h] /= Math.max(1, counted);
                }
            }
            out[r] = normalise(v);
        }
        return out;
    }

    static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + name + " is closed");
        }
    }

    /** Frees the model and tokenizer once passes in flight have finished. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (workers != null) {
                // sub-batches still queued never run: cancel them, or their callers would wait forever
                for (Runnable queued : workers.shutdownNow()) {
                    if (queued instanceof Future<?> f) {
                        f.cancel(false);
                    }
                }
            }
            encoder.close();
            tokenizer.close();
            if (cache != null) {
                cache.clear();
            }
            LOG.debug("Closed {}", name);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
