package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) as BERT fine-tuning uses it: decoupled weight decay, none on biases and LayerNorm
 * parameters. Clipping is the caller's: it sums {@link #squaredGradientNorm} over all groups and passes each the same
 * factor, so that one global norm is clipped. The moment estimates live beside the parameters and can be saved with a
 * checkpoint.
 */
public final class AdamW {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-6f;

    private final Map<String, NDArray> params;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private final float weightDecay;
    private long steps;

    public AdamW(Map<String, NDArray> params, float weightDecay) {
        this.params = params;
        this.weightDecay = weightDecay;
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            first.put(p.getKey(), p.getValue().zerosLike());
            second.put(p.getKey(), p.getValue().zerosLike());
        }
    }

    /** Biases, LayerNorm parameters and embeddings' norms take no decay, as in BERT's recipe. */
    static boolean decays(String name) {
        return !name.endsWith(".bias") && !name.contains("LayerNorm");
    }

    /**
     * The squared norm of the gradients this optimiser steps, summed on the device and read once; a caller adds the
     * groups' squares up to clip them all by one global norm.
     */
    public double squaredGradientNorm(NDManager scratch) {
        NDArray total = null;
        for (NDArray p : params.values()) {
            NDArray g = p.getGradient();
            g.attach(scratch); // the handle, not the gradient: closing the scratch manager frees only the handle
            NDArray s = g.square().sum();
            total = total == null ? s : total.add(s);
        }
        return total == null ? 0 : total.getFloat();
    }

    /** Takes one step with the gradients scaled by {@code clip} (1 for none); {@link #clear} them afterwards. */
    public void step(float learningRate, float clip, NDManager scratch) {
        steps++;
        float correction1 = 1 - (float) Math.pow(BETA1, steps);
        float correction2 = 1 - (float) Math.pow(BETA2, steps);
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            NDArray w = p.getValue();
            NDArray raw = p.getValue().getGradient();
            raw.attach(scratch);
            NDArray g = raw.mul(clip);
            NDArray m = first.get(p.getKey());
            NDArray v = second.get(p.getKey());
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.square().muli(1 - BETA2));
            NDArray denominator = scratch(v.sqrt(), scratch)
                    .divi((float) Math.sqrt(correction2))
                    .addi(EPSILON);
            NDArray update = scratch(m.div(denominator), scratch).muli(learningRate / correction1);
            if (decays(p.getKey()) && weightDecay > 0) {
                w.muli(1 - learningRate * weightDecay);
            }
            w.subi(update);
        }
    }

    /**
     * Clears the gradients for the next batch: PyTorch adds each backward pass to what is there. Subtracting a
     * gradient from itself is cheap, but leaves NaN where it held an infinity or NaN, so after a non-finite batch
     * those are filled with zero first. Always in place: {@code NDArray.set(Buffer)} would swap the gradient's storage
     * for a Java buffer that lives only as long as the temporary handle {@code getGradient()} returned, and PyTorch
     * would go on accumulating into freed memory (seen as NaN gradients, then a crash in {@code free}).
     */
    public void clear(boolean finite, NDManager scratch) {
        for (NDArray p : params.values()) {
            NDArray g = p.getGradient();
            g.attach(scratch);
            if (!finite) {
                g.set(g.isNaN().logicalOr(g.isInfinite()), 0f);
            }
            g.subi(g);
        }
    }

    /** The name of the first parameter whose gradient holds a NaN or an infinity, for the log of a skipped batch. */
    public String firstNonFinite(NDManager scratch) {
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            NDArray g = p.getValue().getGradient();
            g.attach(scratch);
            if (g.isNaN().logicalOr(g.isInfinite()).any().getBoolean()) {
                return p.getKey();
            }
        }
        return "none";
    }

    /** The moment estimates by parameter name, {@code first.NAME} and {@code second.NAME}, for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        first.forEach((k, v) -> state.put("first." + k, v));
        second.forEach((k, v) -> state.put("second." + k, v));
        return state;
    }

    public long steps() {
        return steps;
    }

    /** Restores a checkpoint's step count; the moments are set through {@link #state()}. */
    public void steps(long value) {
        this.steps = value;
    }

    private static NDArray scratch(NDArray a, NDManager scratch) {
        a.attach(scratch);
        return a;
    }
}
