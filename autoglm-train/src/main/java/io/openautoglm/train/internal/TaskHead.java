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
     * The loss of a batch (a mean over its examples, or a ranking loss over them), from the encoder's
     * {@code [rows, length, hidden]} states ({@code [rows, 1, hidden]} for a head that {@link #readsFirstTokenOnly});
     * a row an example, or two for pairs embedded apart (the first texts, then the second: {@link Batches#tensors}).
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

    /** How the model reads a pair, for the model card; {@code null} for a head that reads single texts. */
    default String pairs() {
        return null;
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
        /** A batch's states, in the rows {@link #loss} reads. */
        void add(NDArray hidden, Batches.Batch batch);

        /** The score so far; {@code NaN} when nothing was added. */
        double value();
    }
}
