package io.openautoglm.cuda.internal;

/** The activation exactly as the kernels compute it. */
public final class Relu {
    private Relu() {}

    /**
     * NaN propagates (as in {@code torch.relu}); both zeros become +0, so the sign of a zero
     * accumulator, which depends on how padded taps were added, never reaches the output.
     *
     * @param v bias-added accumulator
     * @return the activation, bit-identical to the CUDA kernels' {@code relu}
     */
    public static float apply(float v) {
        return (v > 0.0f || v != v) ? v : 0.0f;
    }
}
