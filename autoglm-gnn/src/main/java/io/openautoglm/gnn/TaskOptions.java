package io.openautoglm.gnn;

import java.util.Objects;

/**
 * The options {@link GnnTrainer.Builder} and {@link AutoGnn.Builder} share: what to learn and how link
 * prediction splits and scores edges. Not thread-safe, like the builders.
 *
 * @param <B> the builder, returned by each setter
 */
abstract class TaskOptions<B extends TaskOptions<B>> {
    GnnTask task = GnnTask.NODE_CLASSIFICATION;
    LinkDecoder linkDecoder = LinkDecoder.DOT;
    long splitSeed = 0;

    TaskOptions() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Node classification (the default) or link prediction. */
    public B task(GnnTask v) {
        this.task = Objects.requireNonNull(v, "task");
        return self();
    }

    /** How link prediction scores a node pair (default {@link LinkDecoder#DOT}). */
    public B linkDecoder(LinkDecoder v) {
        this.linkDecoder = Objects.requireNonNull(v, "linkDecoder");
        return self();
    }

    /** Seed of the 85/5/10 edge split for link prediction (fixed across training seeds; default 0). */
    public B splitSeed(long v) {
        this.splitSeed = v;
        return self();
    }
}
