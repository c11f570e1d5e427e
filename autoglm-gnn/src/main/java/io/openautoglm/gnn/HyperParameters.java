package io.openautoglm.gnn;

import java.util.Locale;
import java.util.Objects;

/**
 * Optimiser and schedule settings for training one model: Adam with L2 weight decay, a maximum number of
 * epochs, and early stopping when validation has not improved for {@code patience} epochs (by loss or
 * score; see {@link Checkpoint}), keeping the weights of the best validation epoch; optionally
 * self-training and consistency regularisation, which put the unlabelled nodes to use.
 *
 * <pre>{@code
 * HyperParameters hp = HyperParameters.builder().learningRate(0.005).weightDecay(5e-4).build();
 * }</pre>
 *
 * @param learningRate Adam step size
 * @param weightDecay L2 penalty added to every gradient
 * @param maxEpochs upper bound on training epochs
 * @param patience epochs without validation improvement before stopping
 * @param checkpoint which epoch's weights a node classifier keeps (link prediction always keeps the
 *     epoch with the best validation AUC)
 * @param selfTraining rounds of self-training for a node classifier (0 = none): after training, each
 *     class gets the {@value #PSEUDO_LABELS_PER_CLASS} unlabelled nodes (split {@link Graph.Split#NONE})
 *     the model predicts for it most confidently as pseudo-labelled train nodes, and a fresh network
 *     is trained on them and the real labels. Validation and test nodes are never pseudo-labelled.
 * @param consistency weight of consistency regularisation for a node classifier (0 = none), as GRAND
 *     does (Feng et al. 2020, "Graph Random Neural Network"): each epoch runs {@value
 *     #CONSISTENCY_SAMPLES} forward passes with independent dropout, and besides their mean
 *     cross-entropy on the train nodes, the loss adds this weight times the mean squared distance of
 *     every node's predicted distribution to the passes' average, sharpened with temperature {@value
 *     #SHARPENING_TEMPERATURE}. It makes the unlabelled nodes train the model: predictions must agree
 *     across dropout and be confident, so with few labels (the Planetoid splits) it raises accuracy,
 *     at twice the cost per epoch.
 */
public record HyperParameters(
        double learningRate,
        double weightDecay,
        int maxEpochs,
        int patience,
        Checkpoint checkpoint,
        int selfTraining,
        double consistency) {

    /** How many nodes per class one round of self-training adds. */
    public static final int PSEUDO_LABELS_PER_CLASS = 50;

    /** Forward passes per epoch under consistency regularisation. */
    public static final int CONSISTENCY_SAMPLES = 2;

    /** Temperature that sharpens the passes' average prediction into the consistency target. */
    public static final double SHARPENING_TEMPERATURE = 0.5;

    /** Which epoch's weights training keeps. */
    public enum Checkpoint {
        /** The best validation score, ties broken by the lower validation loss. */
        BEST_SCORE,
        /**
         * The lowest validation loss. With few validation labels (500 on the Planetoid splits) the best-score
         * epoch is partly a pick of noise, while the loss moves smoothly; decoupled models such as DAGNN are
         * tuned this way. Its validation score is then that of the lowest-loss epoch, and patience counts
         * the epochs since the lowest loss.
         */
        LOWEST_LOSS
    }

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
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (selfTraining < 0) {
            throw new IllegalArgumentException("selfTraining must be >= 0, was " + selfTraining);
        }
        if (!(consistency >= 0 && consistency <= 100)) {
            throw new IllegalArgumentException("consistency must be in [0, 100], was " + consistency);
        }
    }

    /**
     * lr 0.01, weight decay 5e-4, 200 epochs, patience 100 (the GCN/GAT paper settings), best-score
     * checkpoint, no self-training, no consistency regularisation.
     */
    public static HyperParameters defaults() {
        return new HyperParameters(0.01, 5e-4, 200, 100, Checkpoint.BEST_SCORE, 0, 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder()
                .learningRate(learningRate)
                .weightDecay(weightDecay)
                .maxEpochs(maxEpochs)
                .patience(patience)
                .checkpoint(checkpoint)
                .selfTraining(selfTraining)
                .consistency(consistency);
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "lr=%.4g wd=%.2g epochs<=%d patience=%d%s%s%s",
                learningRate,
                weightDecay,
                maxEpochs,
                patience,
                checkpoint == Checkpoint.LOWEST_LOSS ? " checkpoint=loss" : "",
                selfTraining > 0 ? " self-training=" + selfTraining : "",
                consistency > 0 ? String.format(Locale.ROOT, " consistency=%.2g", consistency) : "");
    }

    /** Builder with the {@link #defaults()} as starting values. Not thread-safe. */
    public static final class Builder {
        private double learningRate = 0.01;
        private double weightDecay = 5e-4;
        private int maxEpochs = 200;
        private int patience = 100;
        private Checkpoint checkpoint = Checkpoint.BEST_SCORE;
        private int selfTraining = 0;
        private double consistency = 0;

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

        public Builder checkpoint(Checkpoint v) {
            this.checkpoint = v;
            return this;
        }

        /** Rounds of self-training (node classification; 0, the default, for none). */
        public Builder selfTraining(int v) {
            this.selfTraining = v;
            return this;
        }

        /** Weight of consistency regularisation (node classification; 0, the default, for none). */
        public Builder consistency(double v) {
            this.consistency = v;
            return this;
        }

        public HyperParameters build() {
            return new HyperParameters(
                    learningRate, weightDecay, maxEpochs, patience, checkpoint, selfTraining, consistency);
        }
    }
}
