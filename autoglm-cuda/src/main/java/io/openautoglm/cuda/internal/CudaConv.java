package io.openautoglm.cuda.internal;

import static io.openautoglm.cuda.internal.CudaModule.check;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import io.openautoglm.cuda.Backend;
import io.openautoglm.cuda.Conv2dSpec;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;

/**
 * The CUDA path: weights, bias and the tap table live on the device from construction to {@link
 * #close()}; host-array {@link #forward} reuses one cached input/output pair, and {@link
 * #newResident()} hands out pairs that stay on the device between runs.
 *
 * <p>Thread-safe: public methods lock this object, and each binds the shared context to the calling
 * thread first. Launches go to the legacy default stream, so copies and kernels are ordered.
 */
public final class CudaConv implements ConvEngine {
    private static final int RELU_THREADS = 256;

    private final Conv2dSpec spec;
    private final CudaModule module;
    private final int multiprocessors;
    private final int[] params;
    private TileConfig tile;
    private CUdeviceptr weightsT;
    private CUdeviceptr bias;
    private CUdeviceptr taps;
    private CUdeviceptr hostIn;
    private CUdeviceptr hostOut;
    private boolean closed;

    /**
     * @param spec the convolution
     * @param weights {@code [K][C][R][S]}
     * @param biasValues {@code [K]}
     * @param multiprocessors the device's SM count, for the tile choice
     */
    public CudaConv(Conv2dSpec spec, float[] weights, float[] biasValues, int multiprocessors) {
        this.spec = spec;
        this.multiprocessors = multiprocessors;
        this.tile = TileConfig.choose(spec, multiprocessors);
        this.params = new int[] {
            spec.batch(),
            spec.inChannels(),
            spec.height(),
            spec.width(),
            spec.outChannels(),
            spec.outHeight(),
            spec.outWidth(),
            spec.strideHeight(),
            spec.strideWidth(),
            spec.padHeight(),
            spec.padWidth(),
            spec.reductionLength(),
            spec.batch() * spec.outHeight() * spec.outWidth()
        };
        this.module = CudaModule.acquire();
        try {
            module.makeCurrent();
            weightsT = upload(transpose(spec, weights));
            bias = upload(biasValues);
            taps = uploadInts(tapTable(spec));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The GEMM's A operand wants [CRS][K] so that a tile row is one coalesced read. */
    static float[] transpose(Conv2dSpec s, float[] w) {
        int k = s.outChannels();
        int crs = s.reductionLength();
        float[] t = new float[w.length];
        for (int ki = 0; ki < k; ki++) {
            for (int j = 0; j < crs; j++) {
                t[j * k + ki] = w[ki * crs + j];
            }
        }
        return t;
    }

    /** {@code {c*H*W + r*dilH*W + s*dilW, r*dilH, s*dilW, 0}} per reduction index, as the kernel's int4. */
    static int[] tapTable(Conv2dSpec s) {
        if (s.reductionLength() > (Integer.MAX_VALUE - 8) / 4) {
            // a ConvolutionException, so that Backend.AUTO falls back to the CPU path
            throw new io.openautoglm.cuda.ConvolutionException("the CUDA tap table of " + s.reductionLength()
                    + " taps (C*R*S) would hold more ints than a Java array does; the CPU path runs this shape");
        }
        int[] t = new int[4 * s.reductionLength()];
        int i = 0;
        for (int c = 0; c < s.inChannels(); c++) {
            for (int r = 0; r < s.kernelHeight(); r++) {
                for (int q = 0; q < s.kernelWidth(); q++) {
                    int rd = r * s.dilationHeight();
                    int sd = q * s.dilationWidth();
                    t[i++] = c * s.height() * s.width() + rd * s.width() + sd;
                    t[i++] = rd;
                    t[i++] = sd;
                    t[i++] = 0;
                }
            }
        }
        return t;
    }

    @Override
    public Backend backend() {
        return Backend.CUDA;
    }

    /** @return the tile shape launches use */
    public synchronized TileConfig tile() {
        return tile;
    }

    /** Overrides the cost model's choice; for benchmarks that time every shape. */
    public synchronized void tile(TileConfig config) {
        this.tile = config;
    }

    @Override
    public synchronized void forward(float[] input, float[] output) {
        ensureOpen();
        module.makeCurrent();
        if (hostIn == null) {
            hostIn = alloc(spec.inputLength());
            hostOut = alloc(spec.outputLength());
        }
        copyIn(hostIn, input);
        launchFused(hostIn, hostOut);
        copyOut(hostOut, output);
    }

    /** Enqueues the fused kernel: relu(conv(in) + bias) into out, one pass. */
    public synchronized void launchFused(CUdeviceptr in, CUdeviceptr out) {
        launchConv(module.function(tile.fusedEntry()), in, out);
    }

    /** Enqueues the unfused pair: conv(in) + bias into out, then a separate in-place ReLU kernel. */
    public synchronized void launchUnfused(CUdeviceptr in, CUdeviceptr out) {
        launchConv(module.function(tile.linearEntry()), in, out);
        int n = spec.outputLength();
        int vec = Math.max(1, (n / 4 + RELU_THREADS - 1) / RELU_THREADS);
        int grid = Math.min(vec, Math.max(1, multiprocessors) * 16);
        Pointer args = Pointer.to(Pointer.to(out), Pointer.to(new int[] {n}));
        check(
                cuLaunchKernel(module.function("relu_inplace"), grid, 1, 1, RELU_THREADS, 1, 1, 0, null, args, null),
                "cuLaunchKernel(relu_inplace)");
    }

    private void launchConv(CUfunction f, CUdeviceptr in, CUdeviceptr out) {
        ensureOpen();
        long gx = ((long) params[12] + tile.bn() - 1) / tile.bn();
        long gy = ((long) spec.outChannels() + tile.bm() - 1) / tile.bm();
        if (gx > Integer.MAX_VALUE || gy > 65535) {
            throw new io.openautoglm.cuda.ConvolutionException("grid " + gx + "x" + gy + " too large for " + spec);
        }
        Pointer args = Pointer.to(
                Pointer.to(in),
                Pointer.to(weightsT),
                Pointer.to(bias),
                Pointer.to(taps),
                Pointer.to(out),
                Pointer.to(params));
        check(
                cuLaunchKernel(f, (int) gx, (int) gy, 1, tile.threads(), 1, 1, 0, null, args, null),
                "cuLaunchKernel(" + tile + ")");
    }

    /** Waits for all queued work; reports asynchronous kernel faults. */
    public synchronized void synchronize() {
        module.makeCurrent();
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /** @return a device buffer of {@code floats} floats; free with {@link #free} */
    public synchronized CUdeviceptr alloc(long floats) {
        module.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        check(cuMemAlloc(p, Math.max(1, floats) * Sizeof.FLOAT), "cuMemAlloc(" + floats * Sizeof.FLOAT + " bytes)");
        return p;
    }

    /** Frees a buffer from {@link #alloc}; null is ignored. */
    public synchronized void free(CUdeviceptr p) {
        if (p != null) {
            module.makeCurrent();
            cuMemFree(p);
        }
    }

    /** Fills a buffer with one bit pattern, e.g. a NaN, so that unwritten outputs show. */
    public synchronized void poison(CUdeviceptr p, long floats, int bits) {
        module.makeCurrent();
        check(cuMemsetD32(p, bits, floats), "cuMemsetD32");
    }

    /** Host to device, synchronous. */
    public synchronized void copyIn(CUdeviceptr dst, float[] src) {
        module.makeCurrent();
        check(cuMemcpyHtoD(dst, Pointer.to(src), (long) src.length * Sizeof.FLOAT), "cuMemcpyHtoD");
    }

    /** Device to host; waits for the kernels queued before it and reports their faults. */
    public synchronized void copyOut(CUdeviceptr src, float[] dst) {
        module.makeCurrent();
        check(cuMemcpyDtoH(Pointer.to(dst), src, (long) dst.length * Sizeof.FLOAT), "cuMemcpyDtoH");
    }

    /** @return the shared module, for benchmarks that record events */
    public CudaModule module() {
        return module;
    }

    @Override
    public ResidentBuffers newResident() {
        ensureOpen();
        CudaConv self = this;
        CUdeviceptr in = alloc(spec.inputLength());
        CUdeviceptr out;
        try {
            out = alloc(spec.outputLength());
        } catch (RuntimeException e) {
            free(in);
            throw e;
        }
        return new ResidentBuffers() {
            private boolean open = true;

            @Override
            public void upload(float[] input) {
                live();
                self.copyIn(in, input);
            }

            @Override
            public void run() {
                live();
                self.launchFused(in, out);
            }

            @Override
            public void download(float[] output) {
                live();
                self.copyOut(out, output);
            }

            private void live() {
                if (!open) {
                    throw new IllegalStateException("this Resident is closed");
                }
            }

            @Override
            public void close() {
                if (open) {
                    open = false;
                    self.free(in);
                    self.free(out);
                }
            }
        };
    }

    private CUdeviceptr upload(float[] host) {
        CUdeviceptr p = alloc(host.length);
        copyIn(p, host);
        return p;
    }

    private CUdeviceptr uploadInts(int[] host) {
        CUdeviceptr p = new CUdeviceptr();
        check(cuMemAlloc(p, (long) host.length * Sizeof.INT), "cuMemAlloc(taps)");
        check(cuMemcpyHtoD(p, Pointer.to(host), (long) host.length * Sizeof.INT), "cuMemcpyHtoD(taps)");
        return p;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("operator is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            module.makeCurrent();
            for (CUdeviceptr p : new CUdeviceptr[] {weightsT, bias, taps, hostIn, hostOut}) {
                if (p != null) {
                    cuMemFree(p);
                }
            }
        } finally {
            module.release();
        }
    }
}
