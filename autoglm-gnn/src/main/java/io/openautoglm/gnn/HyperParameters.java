package io.openautoglm.gnn;

import java.util.Locale;

/**
 * Optimiser and schedule settings for training one model: Adam with L2 weight decay, a maximum number of
 * epochs, and early stopping when neither validation loss nor validation score improved for {@code
 * patience} epochs (the weights from the best validation epoch are kept).
 *
 * <pre>{@code
 * HyperParameters hp = HyperParameters.builder().learningRate(0.005).weightDecay(5e-4).build();
 * }</pre>
 *
 * @param learningRate Adam step size
 * @param weightDecay L2 penalty added to every gradient
 * @param maxEpochs upper bound on training epochs
 * @param patience epochs without validation improvement before stopping
 */
public record HyperParameters(double learningRate, double weightDecay, int maxEpochs, int patience) {

  public HyperParameters {
    if (!(learningRate > 0 && learningRate < 1)) {
      throw new IllegalArgumentException("learningRate must be in (0, 1), was " + learningRate);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new IllegalArgumentException("weightDecay must be in [0, 1), was " + weightDecay);
    }
    if (maxEpochs < 1) {
      throw new IllegalArgumentException("maxEpochs must be >= 1, was " + maxEpochs);
    }
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be >= 1, was " + patience);
    }
  }

  /** lr 0.01, weight decay 5e-4, 200 epochs, patience 100 (the GCN/GAT paper settings). */
  public static HyperParameters defaults() {
    return new HyperParameters(0.01, 5e-4, 200, 100);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder().learningRate(learningRate).weightDecay(weightDecay).maxEpochs(maxEpochs).patience(patience);
  }

  public String describe() {
    return String.format(Locale.ROOT, "lr=%.4g wd=%.2g epochs<=%d patience=%d", learningRate, weightDecay, maxEpochs, patience);
  }

  /** Builder with the {@link #defaults()} as starting values. Not thread-safe. */
  public static final class Builder {
    private double learningRate = 0.01;
    private double weightDecay = 5e-4;
    private int maxEpochs = 200;
    private int patience = 100;

    private Builder() {}

    public Builder learningRate(double v) {
      this.learningRate = v;
      return this;
    }

    public Builder weightDecay(double v) {
      this.weightDecay = v;
      return this;
    }

    public Builder maxEpochs(int v) {
      this.maxEpochs = v;
      return this;
    }

    public Builder patience(int v) {
      this.patience = v;
      return this;
    }

    public HyperParameters build() {
      return new HyperParameters(learningRate, weightDecay, maxEpochs, patience);
    }
  }
}
