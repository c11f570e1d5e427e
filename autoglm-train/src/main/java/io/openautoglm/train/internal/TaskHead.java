package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** What a task puts on top of the encoder: its trainable arrays, its loss, how dev is scored, how it is served. */
public interface TaskHead {

    /** The trainable arrays by name, for the optimiser and the checkpoint. */
    Map<String, NDArray> parameters();

    /**
     * Whether the head reads the first token's state alone ([CLS] pooling): the encoder then gives
     * {@code [batch, 1, hidden]} and skips the rest of its last layer ({@link BertEncoder#forwardFirstToken}).
     */
    default boolean readsFirstTokenOnly() {
        return false;
    }

    /**
     * The mean loss of a batch, from the encoder's {@code [batch, length, hidden]} states ({@code [batch, 1, hidden]}
     * for a head that {@link #readsFirstTokenOnly}).
     */
    NDArray loss(NDArray hidden, Batches.Batch batch);

    /** A fresh dev score: fed batch after batch, then read. */
    Score score();

    /** What the dev score measures, for reports ("accuracy", "entity micro-F1"). */
    String metric();

    /** The head's part of {@code autoglm-head.json}: what the local engine needs to serve it. */
    Map<String, Object> served();

    /**
     * Whether a dev score, once read, also sets what {@link #served()} writes (a matching threshold): the training
     * loop then scores the kept epoch last, so that the two belong together.
     */
    default boolean calibratesOnDev() {
        return false;
    }

    /** The decision threshold chosen on dev and served with the model; {@code NaN} for a head without one. */
    default double threshold() {
        return Double.NaN;
    }

    /**
     * How the served model decides at its {@link #threshold()}, for the model card: a format with one {@code %.4f}
     * for the threshold; {@code null} for a head without one.
     */
    default String decision() {
        return null;
    }

    /** A dev score being accumulated. */
    interface Score {
        void add(NDArray hidden, Batches.Batch batch);

        /** The score so far; {@code NaN} when nothing was added. */
        double value();
    }
}
