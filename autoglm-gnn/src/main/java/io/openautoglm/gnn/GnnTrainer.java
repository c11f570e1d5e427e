package io.openautoglm.gnn;

import java.util.Objects;

/**
 * Trains one fixed architecture (no search): the building block for baselines and for retraining a
 * found architecture. Immutable and thread-safe; each {@link #fit} call owns its own native memory.
 *
 * <pre>{@code
 * GnnTrainer gcn = GnnTrainer.builder()
 *     .architecture(Architecture.gcnBaseline())
 *     .hyperParameters(HyperParameters.defaults())
 *     .build();
 * try (GnnModel model = gcn.fit(graph, 42)) {
 *   System.out.println(model.report().test());
 * }
 * }</pre>
 */
public final class GnnTrainer {
    private final GnnTask task;
    private final Architecture architecture;
    private final HyperParameters hyperParameters;
    private final LinkDecoder linkDecoder;
    private final long splitSeed;

    private GnnTrainer(
            GnnTask task,
            Architecture architecture,
            HyperParameters hyperParameters,
            LinkDecoder linkDecoder,
            long splitSeed) {
        this.task = task;
        this.architecture = architecture;
        this.hyperParameters = hyperParameters;
        this.linkDecoder = linkDecoder;
        this.splitSeed = splitSeed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains with the given seed (weights, dropout, negative sampling), keeping the weights of the best
     * validation epoch.
     */
    public GnnModel fit(Graph graph, long seed) {
        Objects.requireNonNull(graph, "graph");
        return GnnModel.train(graph, this, seed);
    }

    public GnnTask task() {
        return task;
    }

    public Architecture architecture() {
        return architecture;
    }

    public HyperParameters hyperParameters() {
        return hyperParameters;
    }

    LinkDecoder linkDecoder() {
        return linkDecoder;
    }

    long splitSeed() {
        return splitSeed;
    }

    /**
     * Builder; defaults: node classification, GCN baseline, {@link HyperParameters#defaults()}, {@link
     * LinkDecoder#DOT}, split seed 0.
     */
    public static final class Builder extends TaskOptions<Builder> {
        private Architecture architecture = Architecture.gcnBaseline();
        private HyperParameters hyperParameters = HyperParameters.defaults();

        private Builder() {}

        public Builder architecture(Architecture v) {
            architecture = Objects.requireNonNull(v, "architecture");
            return this;
        }

        public Builder hyperParameters(HyperParameters v) {
            hyperParameters = Objects.requireNonNull(v, "hyperParameters");
            return this;
        }

        public GnnTrainer build() {
            return new GnnTrainer(task, architecture, hyperParameters, linkDecoder, splitSeed);
        }
    }
}
