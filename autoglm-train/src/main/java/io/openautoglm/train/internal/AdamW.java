package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) as BERT fine-tuning uses it: decoupled weight decay, none on biases and LayerNorm
 * parameters. Clipping is the caller's: it sums {@link #squaredGradientNorm} over all groups and passes each the same
 * factor, so that one global norm is clipped. The moment estimates live beside the parameters and can be saved with a
 * checkpoint.
 *
 * <p>A step is written for few passes over memory, not for the textbook's order of operations: the arithmetic is the
 * same up to float rounding. PyTorch's fused and foreach forms ({@code lerp_}, {@code addcmul_}, {@code addcdiv_}) are
 * not reachable from DJL's {@code NDArray}, and every elementwise operation there is a full pass over up to 33 million
 * parameters; one that returns a new array also allocates it, and the kernel's page faults on that fresh memory cost
 * several passes more. So the clip factor and the bias corrections are folded into scalars, the updates run in place,
 * and each parameter's gradient, spent once the moments hold it, is the scratch buffer for its update.
 */
public final class AdamW {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-6f;
    /** Every element: {@code set(ALL, array)} copies into an array in place. */
    private static final NDIndex ALL = new NDIndex("...");

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
     * groups' squares up to clip them all by one global norm. Each tensor's norm is one reducing pass and allocates
     * nothing of the tensor's size, where {@code square().sum()} was two passes and a full-size temporary.
     */
    public double squaredGradientNorm(NDManager scratch) {
        NDArray total = null;
        for (NDArray p : params.values()) {
            NDArray g = p.getGradient();
            g.attach(scratch); // the handle, not the gradient: closing the scratch manager frees only the handle
            NDArray s = g.norm().square(); // scalars from here on
            total = total == null ? s : total.addi(s);
        }
        return total == null ? 0 : total.getFloat();
    }

    /**
     * Takes one step with the gradients scaled by {@code clip} (1 for none); {@link #clear} them afterwards. The step
     * spends the gradients: each is its parameter's scratch buffer, and after the step holds the Adam term that was
     * subtracted from the weight, no longer the gradient.
     */
    public void step(float learningRate, float clip, NDManager scratch) {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        // Folded so that no pass is spent on a scalar that one already made could carry (exact up to rounding):
        //   m = β1·m + (1-β1)·clip·g, the clip joining the moment's weight;
        //   v = β2·v + (1-β2)·clip²·g² = β2·v + k·((1-β1)·clip·g)², the square of what m just took, k = (1-β2)/(1-β1)²;
        //   lr/c1 · m / (√v/√c2 + ε) = (lr·√c2/c1) · m / (√v + ε·√c2), the bias corrections leaving the tensors.
        float firstWeight = (1 - BETA1) * clip;
        float k = (1 - BETA2) / ((1 - BETA1) * (1 - BETA1));
        float rate = (float) (learningRate * Math.sqrt(correction2) / correction1);
        float epsilon = (float) (EPSILON * Math.sqrt(correction2));
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            NDArray w = p.getValue();
            NDArray g = w.getGradient();
            g.attach(scratch);
            NDArray m = first.get(p.getKey());
            NDArray v = second.get(p.getKey());
            g.muli(firstWeight); // (1-β1)·clip·g
            m.muli(BETA1).addi(g);
            v.muli(BETA2).addi(g.muli(g).muli(k));
            // √v is the one new array: DJL has no in-place square root, and powi(0.5) runs PyTorch's general pow,
            // slower than the allocation. Closed at once, so that the next parameter's can reuse the memory.
            try (NDArray denominator = scratch(v.sqrt(), scratch)) {
                denominator.addi(epsilon);
                // m / denominator into the gradient: PyTorch's DJL engine has no in-place reverse division, and a
                // copy into memory already there is cheaper than m.div's new array
                g.set(ALL, m);
                g.divi(denominator).muli(rate);
            }
            if (decays(p.getKey()) && weightDecay > 0) {
                w.muli(1 - learningRate * weightDecay);
            }
            w.subi(g);
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
