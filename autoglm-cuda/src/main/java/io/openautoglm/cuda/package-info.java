/**
 * A fused 2-D convolution + bias + ReLU inference operator: CUDA through JCuda's driver API where an
 * NVIDIA GPU is found, and a multi-threaded Java path everywhere else that computes the same float32
 * bits.
 *
 * <pre>{@code
 * Conv2dSpec spec = Conv2dSpec.builder().batch(1).inChannels(64).height(56).width(56)
 *     .outChannels(64).kernel(3, 3).padding(1).build();
 * try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
 *         .spec(spec).weights(w).bias(b).build()) {      // Backend.AUTO
 *     float[] y = op.forward(x);
 * }
 * }</pre>
 *
 * <p>Public types: {@link io.openautoglm.cuda.Conv2dSpec}, {@link io.openautoglm.cuda.FusedConv2dBiasRelu},
 * {@link io.openautoglm.cuda.Backend} and {@link io.openautoglm.cuda.ConvolutionException}. Everything
 * in {@code io.openautoglm.cuda.internal} may change without notice. See {@code docs/cuda.md}.
 */
package io.openautoglm.cuda;
