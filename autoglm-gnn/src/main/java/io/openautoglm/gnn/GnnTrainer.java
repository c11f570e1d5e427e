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

  private GnnTrainer(Builder b) {
    this.task = b.task;
    this.architecture = b.architecture;
    this.hyperParameters = b.hyperParameters;
    this.linkDecoder = b.linkDecoder;
    this.splitSeed = b.splitSeed;
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
    return GnnModel.train(graph, task, architecture, hyperParameters, linkDecoder, seed, splitSeed, () -> false);
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

  /** Builder; defaults: node classification, GCN baseline, {@link HyperParameters#defaults()}. */
  public static final class Builder {
    private GnnTask task = GnnTask.NODE_CLASSIFICATION;
    private Architecture architecture = Architecture.gcnBaseline();
    private HyperParameters hyperParameters = HyperParameters.defaults();
    private LinkDecoder linkDecoder = LinkDecoder.DOT;
    private long splitSeed = 0;

    private Builder() {}

    public Builder task(GnnTask v) {
      this.task = Objects.requireNonNull(v, "task");
      return this;
    }

    public Builder architecture(Architecture v) {
      this.architecture = Objects.requireNonNull(v, "architecture");
      return this;
    }

    public Builder hyperParameters(HyperParameters v) {
      this.hyperParameters = Objects.requireNonNull(v, "hyperParameters");
      return this;
    }

    public Builder linkDecoder(LinkDecoder v) {
      this.linkDecoder = Objects.requireNonNull(v, "linkDecoder");
      return this;
    }

    /** Seed of the 85/5/10 edge split for link prediction (fixed across training seeds). */
    public Builder splitSeed(long v) {
      this.splitSeed = v;
      return this;
    }

    public GnnTrainer build() {
      return new GnnTrainer(this);
    }
  }
}
