package io.openautoglm.cuda;

/**
 * Which implementation a {@link FusedConv2dBiasRelu} runs on.
 *
 * <pre>{@code
 * FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
 *     .spec(spec).weights(w).bias(b)
 *     .backend(Backend.AUTO)   // CUDA when a usable GPU is found, else CPU with one log line
 *     .build();
 * }</pre>
 *
 * <p>Both implementations compute the same float32 values bit for bit (see {@link
 * FusedConv2dBiasRelu}), so the choice changes speed, never results.
 */
public enum Backend {
    /** CUDA when the driver, a device and JCuda's natives load; otherwise CPU, logged once. */
    AUTO,
    /** CUDA or fail: creation throws {@link ConvolutionException} with the probe's reason. */
    CUDA,
    /** The multi-threaded Java path, also on machines that have a GPU. */
    CPU
}
