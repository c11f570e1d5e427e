package io.openautoglm.cuda.internal;

import io.openautoglm.cuda.Backend;
import io.openautoglm.cuda.Conv2dSpec;
import java.util.stream.IntStream;

/**
 * The CPU path. Each output element is one {@link Math#fma} chain over the reduction index
 * {@code kk = (c * R + r) * S + s} in ascending order from +0, with padded taps added as
 * {@code fma(0, w, acc)}, then {@code acc + bias} and {@link Relu#apply}: the same operations in the
 * same order as the CUDA kernels, so both give identical float32 bits.
 *
 * <p>Parallel over (image, output channel) pairs on the common fork-join pool. Thread-safe: the
 * weights are copied at construction and never written.
 */
public final class CpuConv implements ConvEngine {
    private final Conv2dSpec spec;
    private final float[] weights;
    private final float[] bias;
    private volatile boolean closed;

    /**
     * @param spec the convolution
     * @param weights {@code [K][C][R][S]}, copied
     * @param bias {@code [K]}, copied
     */
    public CpuConv(Conv2dSpec spec, float[] weights, float[] bias) {
        this.spec = spec;
        this.weights = weights.clone();
        this.bias = bias.clone();
    }

    @Override
    public Backend backend() {
        return Backend.CPU;
    }

    @Override
    public void forward(float[] input, float[] output) {
        ensureOpen();
        Conv2dSpec s = spec;
        int k = s.outChannels();
        IntStream range = IntStream.range(0, s.batch() * k);
        // Tiny problems lose more to fork-join hand-offs than they gain.
        if ((long) s.outputLength() * s.reductionLength() > 200_000L) {
            range = range.parallel();
        }
        range.forEach(task -> plane(input, output, task / k, task % k));
    }

    /** Computes one output plane {@code output[n][k][*][*]}. */
    private void plane(float[] x, float[] out, int n, int k) {
        Conv2dSpec s = spec;
        int c = s.inChannels();
        int h = s.height();
        int w = s.width();
        int r = s.kernelHeight();
        int sw = s.kernelWidth();
        int p = s.outHeight();
        int q = s.outWidth();
        float[] acc = new float[p * q];
        int wBase = k * c * r * sw;
        if (r == 1
                && sw == 1
                && s.strideHeight() == 1
                && s.strideWidth() == 1
                && s.padHeight() == 0
                && s.padWidth() == 0) {
            // 1x1, unit stride, no padding: each input plane is the output plane, one long loop per channel.
            for (int ci = 0; ci < c; ci++) {
                fmaRow(x, (n * c + ci) * h * w, weights[wBase + ci], acc, 0, 0, p * q);
            }
            finish(acc, out, n, k);
            return;
        }
        for (int ci = 0; ci < c; ci++) {
            int xPlane = (n * c + ci) * h * w;
            for (int ri = 0; ri < r; ri++) {
                int rd = ri * s.dilationHeight();
                for (int si = 0; si < sw; si++) {
                    float wt = weights[wBase + (ci * r + ri) * sw + si];
                    int sd = si * s.dilationWidth();
                    // Output columns whose input column lies inside the image: [lo, hi).
                    int lo = firstInside(-s.padWidth() + sd, s.strideWidth(), q);
                    int hi = endInside(-s.padWidth() + sd, s.strideWidth(), w, q);
                    for (int oh = 0; oh < p; oh++) {
                        int ih = oh * s.strideHeight() - s.padHeight() + rd;
                        int row = oh * q;
                        if (ih < 0 || ih >= h || lo >= hi) {
                            for (int ow = 0; ow < q; ow++) {
                                acc[row + ow] = Math.fma(0.0f, wt, acc[row + ow]);
                            }
                            continue;
                        }
                        for (int ow = 0; ow < lo; ow++) {
                            acc[row + ow] = Math.fma(0.0f, wt, acc[row + ow]);
                        }
                        int xRow = xPlane + ih * w - s.padWidth() + sd;
                        int stride = s.strideWidth();
                        if (stride == 1) {
                            // A unit-stride loop of its own, so that C2 vectorises the fused multiply-adds.
                            fmaRow(x, xRow, wt, acc, row, lo, hi);
                        } else {
                            for (int ow = lo; ow < hi; ow++) {
                                acc[row + ow] = Math.fma(x[xRow + ow * stride], wt, acc[row + ow]);
                            }
                        }
                        for (int ow = hi; ow < q; ow++) {
                            acc[row + ow] = Math.fma(0.0f, wt, acc[row + ow]);
                        }
                    }
                }
            }
        }
        finish(acc, out, n, k);
    }

    private void finish(float[] acc, float[] out, int n, int k) {
        float b = bias[k];
        int outBase = (n * spec.outChannels() + k) * acc.length;
        for (int i = 0; i < acc.length; i++) {
            out[outBase + i] = Relu.apply(acc[i] + b);
        }
    }

    private static void fmaRow(float[] x, int xRow, float wt, float[] acc, int row, int lo, int hi) {
        for (int ow = lo; ow < hi; ow++) {
            acc[row + ow] = Math.fma(x[xRow + ow], wt, acc[row + ow]);
        }
    }

    /** Smallest ow with {@code offset + ow * stride >= 0}, capped at q. */
    private static int firstInside(int offset, int stride, int q) {
        if (offset >= 0) {
            return 0;
        }
        // in long: with padding and stride near Integer.MAX_VALUE the int sum wraps (a shape validation allows)
        return (int) Math.min(q, (-(long) offset + stride - 1) / stride);
    }

    /** One past the largest ow with {@code offset + ow * stride < w}, within [0, q]. */
    private static int endInside(int offset, int stride, int w, int q) {
        long room = (long) w - 1 - offset;
        if (room < 0) {
            return 0;
        }
        return (int) Math.min(q, room / stride + 1);
    }

    /**
     * Computes a single output element by the same chain; for spot checks of large outputs.
     *
     * @return output {@code [n][k][oh][ow]}
     */
    public float element(float[] x, int n, int k, int oh, int ow) {
        Conv2dSpec s = spec;
        int c = s.inChannels();
        int r = s.kernelHeight();
        int sw = s.kernelWidth();
        float acc = 0.0f;
        for (int ci = 0; ci < c; ci++) {
            for (int ri = 0; ri < r; ri++) {
                int ih = oh * s.strideHeight() - s.padHeight() + ri * s.dilationHeight();
                for (int si = 0; si < sw; si++) {
                    int iw = ow * s.strideWidth() - s.padWidth() + si * s.dilationWidth();
                    float wt = weights[((k * c + ci) * r + ri) * sw + si];
                    boolean inside = ih >= 0 && ih < s.height() && iw >= 0 && iw < s.width();
                    float xv = inside ? x[((n * c + ci) * s.height() + ih) * s.width() + iw] : 0.0f;
                    acc = Math.fma(xv, wt, acc);
                }
            }
        }
        return Relu.apply(acc + bias[k]);
    }

    @Override
    public ResidentBuffers newResident() {
        ensureOpen();
        return new ResidentBuffers() {
            private final float[] in = new float[spec.inputLength()];
            private final float[] out = new float[spec.outputLength()];
            private boolean residentClosed;

            @Override
            public void upload(float[] input) {
                live();
                System.arraycopy(input, 0, in, 0, in.length);
            }

            @Override
            public void run() {
                live();
                forward(in, out);
            }

            @Override
            public void download(float[] output) {
                live();
                System.arraycopy(out, 0, output, 0, out.length);
            }

            @Override
            public void close() {
                residentClosed = true;
            }

            private void live() {
                if (residentClosed) {
                    throw new IllegalStateException("this Resident is closed");
                }
            }
        };
    }

    /**
     * Nothing native to free, but a closed operator refuses work as the CUDA one does, so that code using one
     * after {@code close()} fails on a developer's CPU too, not only on a GPU machine.
     */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("operator is closed");
        }
    }
}
