package io.openautoglm.cuda.internal;

import io.openautoglm.cuda.Backend;

/**
 * One implementation of the fused operator; {@code FusedConv2dBiasRelu} delegates to it. Arguments
 * arrive validated.
 */
public interface ConvEngine extends AutoCloseable {

    /** @return {@link Backend#CUDA} or {@link Backend#CPU} */
    Backend backend();

    /** Computes relu(conv(input) + bias) into {@code output}. */
    void forward(float[] input, float[] output);

    /** @return a new input/output pair kept where this engine computes */
    ResidentBuffers newResident();

    @Override
    void close();

    /** Input and output kept on the engine's side between runs; used by one thread at a time. */
    interface ResidentBuffers extends AutoCloseable {
        void upload(float[] input);

        void run();

        void download(float[] output);

        @Override
        void close();
    }
}
