package io.openautoglm.local;

import io.openautoglm.core.spi.OptionReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a local embedding model runs: input length, batch size, threads, cache. Immutable; build with
 * {@link #builder()} or read from the provider options map with {@link #fromMap(Map)}.
 *
 * <pre>{@code
 * LocalOptions options = LocalOptions.builder().maxTokens(128).cacheSize(0).build();
 * try (LocalEmbeddings embeddings = LocalEmbeddings.open("local:bge-small-zh", options)) {
 *     float[][] v = embeddings.embed(List.of("房间很干净"));
 * }
 * // the same through the SPI:
 * try (Model model = Models.open("local:bge-small-zh", Map.of("maxTokens", "128", "cacheSize", "0"))) {
 *     Predictor p = model.predictor(Task.of(spec));
 * }
 * }</pre>
 *
 * <table>
 * <caption>Option keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code maxTokens}</td><td>256</td><td>tokens per text, special tokens included; longer texts are cut
 * and counted in {@code UsageMeter.truncated()}</td></tr>
 * <tr><td>{@code batchSize}</td><td>1</td><td>texts per forward pass, after sorting by length. One text per pass
 * is the default: on CPU it was as fast as padded batches here, and it keeps a text's embedding independent of
 * the texts that share its pass (the int8 model quantises activations per pass, which moved components by up to
 * 0.02). Larger batches suit accelerators</td></tr>
 * <tr><td>{@code threads}</td><td>1</td><td>ONNX Runtime intra-op threads per forward pass; 0 lets ONNX Runtime
 * choose (one per physical core)</td></tr>
 * <tr><td>{@code parallelRuns}</td><td>cores, at most 8</td><td>forward passes allowed at once; above 1, one call
 * also runs its sub-batches side by side. Single-threaded passes side by side beat one multi-threaded pass
 * at a time by about 10% on two cores (see docs/benchmarks.md)</td></tr>
 * <tr><td>{@code cacheSize}</td><td>10000</td><td>embeddings kept for repeated texts (LRU); 0 turns the cache
 * off</td></tr>
 * <tr><td>{@code pooling}</td><td>per model</td><td>{@code cls} or {@code mean}: how token states become one
 * vector; known models and folders with a sentence-transformers {@code 1_Pooling/config.json} set it</td></tr>
 * <tr><td>{@code spinning}</td><td>false</td><td>let ONNX Runtime's idle intra-op threads spin-wait; can help on a
 * machine with nothing else to do, hurts on a shared one</td></tr>
 * <tr><td>{@code device}</td><td>cpu</td><td>{@code cpu}, {@code gpu} or {@code gpu:<index>}. On {@code cpu} nothing
 * probes for CUDA. A GPU needs ONNX Runtime's CUDA build ({@code com.microsoft.onnxruntime:onnxruntime_gpu} in
 * place of {@code onnxruntime}), or for a TorchScript folder a CUDA build of DJL's PyTorch natives</td></tr>
 * </table>
 *
 * @param maxTokens    tokens per text, at least 8
 * @param batchSize    texts per forward pass, at least 1
 * @param threads      ONNX Runtime intra-op threads, 0 for its default
 * @param parallelRuns forward passes at once, at least 1
 * @param cacheSize    cached embeddings, 0 for none
 * @param pooling      {@code cls}, {@code mean}, or {@code null} for the model's own
 * @param spinning     whether ONNX Runtime's idle intra-op threads spin
 * @param device       {@code cpu}, {@code gpu} or {@code gpu:<index>}; {@code null} for {@code cpu}
 */
public record LocalOptions(
        int maxTokens,
        int batchSize,
        int threads,
        int parallelRuns,
        int cacheSize,
        String pooling,
        boolean spinning,
        String device) {
    /** The option keys {@link #fromMap} understands. */
    public static final Set<String> KEYS =
            Set.of("maxTokens", "batchSize", "threads", "parallelRuns", "cacheSize", "pooling", "spinning", "device");

    private static final Pattern DEVICE = Pattern.compile("cpu|gpu(:\\d{1,3})?");

    /** The defaults. */
    public static final LocalOptions DEFAULTS = builder().build();

    public LocalOptions {
        check("maxTokens", maxTokens, maxTokens >= 8 && maxTokens <= 8192, "between 8 and 8192");
        check("batchSize", batchSize, batchSize >= 1 && batchSize <= 4096, "between 1 and 4096");
        check("threads", threads, threads >= 0 && threads <= 1024, "0 (automatic) or a positive thread count");
        check("parallelRuns", parallelRuns, parallelRuns >= 1 && parallelRuns <= 256, "at least 1");
        check("cacheSize", cacheSize, cacheSize >= 0, "0 (no cache) or a positive entry count");
        if (pooling != null) {
            pooling = pooling.strip().toLowerCase(Locale.ROOT);
            if (!pooling.equals("cls") && !pooling.equals("mean")) {
                throw new IllegalArgumentException("pooling: expected 'cls' or 'mean', got '" + pooling + "'");
            }
        }
        device = device == null ? "cpu" : device.strip().toLowerCase(Locale.ROOT);
        if (!DEVICE.matcher(device).matches()) {
            throw new IllegalArgumentException("device: expected 'cpu', 'gpu' or 'gpu:<index>', got '" + device + "'");
        }
    }

    /** Whether a GPU was asked for ({@code device} is {@code gpu} or {@code gpu:<index>}). */
    public boolean gpu() {
        return !device.equals("cpu");
    }

    /** The GPU's index: 0 for {@code gpu}, n for {@code gpu:n}; -1 on {@code cpu}. */
    public int gpuIndex() {
        return !gpu() ? -1 : device.equals("gpu") ? 0 : Integer.parseInt(device.substring(4));
    }

    private static void check(String field, int value, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected " + expected + ", got " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxTokens(maxTokens)
                .batchSize(batchSize)
                .threads(threads)
                .parallelRuns(parallelRuns)
                .cacheSize(cacheSize)
                .pooling(pooling)
                .spinning(spinning)
                .device(device);
    }

    /**
     * Reads the provider options map with {@link OptionReader} (kind {@code local model option}). Unknown keys fail,
     * so that a misspelt option is not silently ignored; {@code spinning} is {@code true} or {@code false}.
     *
     * @throws IllegalArgumentException naming the key; the value is never repeated (an options map shared with
     *                                  another provider may hold its API key)
     */
    public static LocalOptions fromMap(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        OptionReader r = OptionReader.of("local model option", options).requireKnown(KEYS);
        Builder d = builder(); // the defaults, then the options over them
        return d.maxTokens(r.integer("maxTokens", d.maxTokens, 8, 8192))
                .batchSize(r.integer("batchSize", d.batchSize, 1, 4096))
                .threads(r.integer("threads", d.threads, 0, 1024))
                .parallelRuns(r.integer("parallelRuns", d.parallelRuns, 1, 256))
                .cacheSize(r.integer("cacheSize", d.cacheSize, 0, Integer.MAX_VALUE))
                .pooling(r.choice("pooling", d.pooling, List.of("cls", "mean")))
                .spinning(r.bool("spinning", d.spinning))
                .device(device(r, d.device))
                .build();
    }

    private static String device(OptionReader r, String fallback) {
        String device = r.string("device", fallback).toLowerCase(Locale.ROOT);
        if (!DEVICE.matcher(device).matches()) {
            throw r.invalid("device", "expected cpu, gpu or gpu:<index>");
        }
        return device;
    }

    /** Builds {@link LocalOptions}; every field starts at its default. */
    public static final class Builder {
        private Builder() {}

        private int maxTokens = 256;
        private int batchSize = 1;
        private int threads = 1;
        private int parallelRuns = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        private int cacheSize = 10_000;
        private String pooling;
        private boolean spinning;
        private String device = "cpu";

        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder parallelRuns(int parallelRuns) {
            this.parallelRuns = parallelRuns;
            return this;
        }

        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        public Builder pooling(String pooling) {
            this.pooling = pooling;
            return this;
        }

        public Builder spinning(boolean spinning) {
            this.spinning = spinning;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        public LocalOptions build() {
            return new LocalOptions(maxTokens, batchSize, threads, parallelRuns, cacheSize, pooling, spinning, device);
        }
    }
}
