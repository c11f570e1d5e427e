package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the trained weights whose mean age is a given number of steps (Polyak averaging,
 * as EMA and SWA fine-tuning keep one; the trainer gives half an epoch, so the average leans on about the last
 * epoch): the last step's weights carry the noise of its batch, their recent mean less of it. The average is only
 * read; training steps the live weights as before, so a run's path does not depend on it.
 *
 * <p>It is updated every few steps (about 32 updates per horizon), each update weighted for the steps it stands for,
 * so that its three passes over the weights are not paid at every step; the first updates are a plain running mean,
 * so an average of a short run is not pulled toward the weights it started from. The update count follows from the
 * optimiser's step count, which a checkpoint restores.
 */
final class WeightAverage {
    private static final NDIndex ALL = new NDIndex("...");

    private final Map<String, NDArray> live;
    private final Map<String, NDArray> average = new LinkedHashMap<>();
    private final long every;
    private final double keep; // the old average's share in an update once the running mean has given way

    /**
     * @param horizon the mean age, in steps, of what the average holds
     */
    WeightAverage(Map<String, NDArray> live, long horizon) {
        this.live = live;
        long h = Math.max(1, horizon);
        this.every = Math.max(1, h / 32);
        this.keep = Math.pow(1 - 1.0 / h, every);
        for (Map.Entry<String, NDArray> p : live.entrySet()) {
            NDArray copy = p.getValue().duplicate();
            copy.setRequiresGradient(false);
            average.put(p.getKey(), copy);
        }
    }

    /** Folds the live weights in after optimiser step {@code step} (counted from 1 over the whole run). */
    void update(long step) {
        if (step % every != 0) {
            return;
        }
        long n = step / every;
        // a running mean (keep (n-1)/n) until that would hold more than the horizon, then the moving average
        float k = (float) Math.min(keep, (n - 1) / (double) n);
        for (Map.Entry<String, NDArray> p : live.entrySet()) {
            NDArray w = p.getValue();
            average.get(p.getKey()).subi(w).muli(k).addi(w); // k·a + (1-k)·w, in place
        }
    }

    /**
     * Puts the average into the live weights until the returned swap is restored, which puts the live ones back: what
     * is scored or copied in between is the average.
     */
    Swap swapIn(NDManager scratch) {
        Map<String, NDArray> saved = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : live.entrySet()) {
            NDArray copy = p.getValue().duplicate();
            copy.attach(scratch);
            saved.put(p.getKey(), copy);
            p.getValue().set(ALL, average.get(p.getKey()));
        }
        return () -> saved.forEach((name, copy) -> live.get(name).set(ALL, copy));
    }

    /** The averaged arrays, {@code average.NAME}, for a checkpoint. */
    Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        average.forEach((k, v) -> state.put("average." + k, v));
        return state;
    }

    /** The live weights hold the average until {@link #restore}. */
    interface Swap {
        void restore();
    }
}
