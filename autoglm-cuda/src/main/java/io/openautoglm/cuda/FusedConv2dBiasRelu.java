package io.openautoglm.cuda;

import io.openautoglm.cuda.internal.BackendSelector;
import io.openautoglm.cuda.internal.ConvEngine;
import io.openautoglm.cuda.internal.CpuConv;
import io.openautoglm.cuda.internal.CudaConv;
import io.openautoglm.cuda.internal.CudaProbe;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code output = relu(conv2d(input, weights) + bias)} in one pass, on an NVIDIA GPU through JCuda or
 * on the CPU, with identical float32 results on both.
 *
 * <pre>{@code
 * Conv2dSpec spec = Conv2dSpec.builder().batch(1).inChannels(64).height(56).width(56)
 *     .outChannels(64).kernel(3, 3).padding(1).build();
 * try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
 *         .spec(spec).weights(weights).bias(bias).backend(Backend.AUTO).build()) {
 *     float[] y = op.forward(x);                      // host arrays in and out
 *
 *     try (FusedConv2dBiasRelu.Resident r = op.resident()) {
 *         r.upload(x);                                  // once
 *         for (int i = 0; i < 100; i++) r.run();        // stays on the device
 *         r.download(y);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Arithmetic.</b> Each output is one fused-multiply-add chain over the reduction index
 * {@code (c * R + r) * S + s} in ascending order, padded taps included as {@code fma(0, w, acc)}, then
 * {@code + bias}, then ReLU (NaN propagates; zeros come out as +0). The CUDA kernel and the Java path
 * both do exactly this, so their outputs agree bit for bit.
 *
 * <p><b>Backends.</b> {@link Backend#AUTO} uses CUDA when the driver, a device of compute capability
 * 7.5 or newer and JCuda's natives load, and otherwise the CPU path with one log line; it also falls
 * back, with a warning, when the CUDA set-up of an operator fails (module load, device memory). The probe runs
 * once per process; see {@link #cudaUnavailableReason()}.
 *
 * <p><b>Thread-safety.</b> Safe to share between threads: CPU calls run concurrently, CUDA calls
 * serialise on the operator. A {@link Resident} belongs to one thread at a time. Close Residents
 * before their operator; closing the operator frees the weights on the device and, with the last
 * operator, the CUDA module and context.
 */
public final class FusedConv2dBiasRelu implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FusedConv2dBiasRelu.class);
    private final Conv2dSpec spec;
    private final ConvEngine engine;

    private FusedConv2dBiasRelu(Conv2dSpec spec, ConvEngine engine) {
        this.spec = spec;
        this.engine = engine;
    }

    /** @return a builder; spec, weights and bias are required, the backend defaults to AUTO */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when {@link Backend#AUTO} would choose CUDA in this process */
    public static boolean cudaAvailable() {
        return CudaProbe.result().available();
    }

    /** @return why CUDA cannot be used here, or empty when it can */
    public static Optional<String> cudaUnavailableReason() {
        return Optional.ofNullable(CudaProbe.result().reason());
    }

    /** @return the shape this operator computes */
    public Conv2dSpec spec() {
        return spec;
    }

    /** @return the backend that runs: {@link Backend#CUDA} or {@link Backend#CPU}, never AUTO */
    public Backend backend() {
        return engine.backend();
    }

    /**
     * @param input {@code [N][C][H][W]}, length {@link Conv2dSpec#inputLength()}
     * @return a new {@code [N][K][P][Q]} array
     */
    public float[] forward(float[] input) {
        float[] out = new float[spec.outputLength()];
        forward(input, out);
        return out;
    }

    /**
     * @param input {@code [N][C][H][W]}, length {@link Conv2dSpec#inputLength()}
     * @param output receives {@code [N][K][P][Q]}, length {@link Conv2dSpec#outputLength()}; not the input
     *     array (in place is refused, even when the lengths match)
     */
    public void forward(float[] input, float[] output) {
        checkLength("input", input, spec.inputLength());
        checkLength("output", output, spec.outputLength());
        if (input == output) {
            // the CPU path writes output planes while later ones still read the input: refused on every backend
            throw new IllegalArgumentException("input and output must be different arrays");
        }
        engine.forward(input, output);
    }

    /** @return a new input/output pair kept on the device (or in memory on the CPU path) */
    public Resident resident() {
        return new Resident(engine.newResident(), spec);
    }

    /** Frees device memory; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "FusedConv2dBiasRelu[" + spec + ", " + backend() + "]";
    }

    static void checkLength(String name, float[] array, int expected) {
        Objects.requireNonNull(array, name);
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " length must be " + expected + " but was " + array.length);
        }
    }

    /**
     * An input and an output buffer that stay where the operator computes, for inference loops that
     * upload once, run many times and download. Not thread-safe; close it before its operator.
     */
    public static final class Resident implements AutoCloseable {
        private final ConvEngine.ResidentBuffers buffers;
        private final Conv2dSpec spec;

        private Resident(ConvEngine.ResidentBuffers buffers, Conv2dSpec spec) {
            this.buffers = buffers;
            this.spec = spec;
        }

        /** @param input copied to the device, length {@link Conv2dSpec#inputLength()} */
        public void upload(float[] input) {
            checkLength("input", input, spec.inputLength());
            buffers.upload(input);
        }

        /** Runs the fused kernel on the uploaded input; asynchronous on CUDA until {@link #download}. */
        public void run() {
            buffers.run();
        }

        /** @param output receives the last run's result, length {@link Conv2dSpec#outputLength()} */
        public void download(float[] output) {
            checkLength("output", output, spec.outputLength());
            buffers.download(output);
        }

        /** @return the last run's result in a new array */
        public float[] download() {
            float[] out = new float[spec.outputLength()];
            download(out);
            return out;
        }

        /** Frees both buffers. Idempotent. */
        @Override
        public void close() {
            buffers.close();
        }
    }

    /** Builds a {@link FusedConv2dBiasRelu}; not thread-safe. */
    public static final class Builder {
        private Conv2dSpec spec;
        private float[] weights;
        private float[] bias;
        private Backend backend = Backend.AUTO;

        private Builder() {}

        /** @param spec the convolution's shape @return this */
        public Builder spec(Conv2dSpec spec) {
            this.spec = spec;
            return this;
        }

        /** @param weights {@code [K][C][R][S]}, copied at {@link #build()} @return this */
        public Builder weights(float[] weights) {
            this.weights = weights;
            return this;
        }

        /** @param bias {@code [K]}, copied at {@link #build()} @return this */
        public Builder bias(float[] bias) {
            this.bias = bias;
            return this;
        }

        /** @param backend where to run; default {@link Backend#AUTO} @return this */
        public Builder backend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /**
         * @return the operator, holding device memory when its backend is CUDA
         * @throws IllegalArgumentException when a field is missing or a length does not match the spec
         * @throws ConvolutionException when {@link Backend#CUDA} is asked for where it is unavailable, or
         *     a CUDA call fails
         */
        public FusedConv2dBiasRelu build() {
            if (spec == null) {
                throw new IllegalArgumentException("spec must be set: call spec(Conv2dSpec.builder()...build())");
            }
            if (weights == null) {
                throw new IllegalArgumentException(
                        "weights must be set: [K][C][R][S] = " + spec.weightLength() + " floats for " + spec);
            }
            if (bias == null) {
                throw new IllegalArgumentException(
                        "bias must be set: " + spec.outChannels() + " floats (pass zeros for none)");
            }
            if (backend == null) {
                throw new IllegalArgumentException("backend must not be null; use Backend.AUTO");
            }
            if (weights.length != spec.weightLength()) {
                throw new IllegalArgumentException("weights length must be K*C*R*S = " + spec.weightLength() + " for "
                        + spec + " but was " + weights.length);
            }
            if (bias.length != spec.outChannels()) {
                throw new IllegalArgumentException(
                        "bias length must be outChannels = " + spec.outChannels() + " but was " + bias.length);
            }
            CudaProbe.Result probe = backend == Backend.CPU ? null : CudaProbe.result();
            Backend chosen = probe == null ? Backend.CPU : BackendSelector.resolve(backend, probe);
            if (chosen == Backend.CUDA) {
                try {
                    return new FusedConv2dBiasRelu(spec, new CudaConv(spec, weights, bias, probe.multiprocessors()));
                } catch (ConvolutionException e) {
                    if (backend == Backend.CUDA) {
                        throw e;
                    }
                    // AUTO promises a working operator: a device that probed fine but cannot load the
                    // module (or is out of memory) still leaves the CPU path.
                    LOG.warn("autoglm-cuda: CUDA set-up failed ({}); this operator uses the CPU path", e.getMessage());
                }
            }
            return new FusedConv2dBiasRelu(spec, new CpuConv(spec, weights, bias));
        }
    }
}
