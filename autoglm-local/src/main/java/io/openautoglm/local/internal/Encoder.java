package io.openautoglm.local.internal;

/**
 * One forward pass of a sentence encoder: token ids, attention mask and token types in, its output tensor out.
 * Implementations are thread-safe; {@link #close()} is called once, when no pass is running.
 */
interface Encoder extends AutoCloseable {

    /**
     * The tensor the encoder returned, flattened in row-major order: token states (batch, tokens, hidden), the first
     * token's alone (batch, 1, hidden) from an encoder opened for CLS pooling, or sentence vectors (batch, hidden).
     */
    record Output(float[] values, long[] shape) {}

    /**
     * Runs one batch. Each array holds {@code rows × width} values in row-major order; padding has mask 0.
     *
     * @throws io.openautoglm.core.AutoGlmException when the runtime fails on the batch
     */
    Output run(long[] ids, long[] mask, long[] types, int rows, int width);

    /** Frees the native memory. */
    @Override
    void close();
}
