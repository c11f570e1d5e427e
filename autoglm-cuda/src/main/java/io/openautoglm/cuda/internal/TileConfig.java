package io.openautoglm.cuda.internal;

import io.openautoglm.cuda.Conv2dSpec;

/**
 * The tile shapes compiled into the PTX (see {@code conv2d_bias_relu.cu}): {@code bm} output channels
 * by {@code bn} output pixels per block. The choice changes speed only; every shape computes each
 * output by the same ordered chain.
 */
public enum TileConfig {
    /** 128 channels x 128 pixels, 8x8 outputs per thread, 256 threads, stage depth 8. */
    T128X128("conv_128x128", 128, 128, 256),
    /** 64 channels x 64 pixels, 4x4 outputs per thread, 256 threads, stage depth 32. */
    T64X64("conv_64x64", 64, 64, 256);

    private final String entry;
    private final int bm;
    private final int bn;
    private final int threads;

    TileConfig(String entry, int bm, int bn, int threads) {
        this.entry = entry;
        this.bm = bm;
        this.bn = bn;
        this.threads = threads;
    }

    /** @return the PTX entry of the fused kernel */
    public String fusedEntry() {
        return entry + "_relu";
    }

    /** @return the PTX entry of the convolution without activation (the unfused pair's first half) */
    public String linearEntry() {
        return entry + "_linear";
    }

    public int bm() {
        return bm;
    }

    public int bn() {
        return bn;
    }

    public int threads() {
        return threads;
    }

    /** @return blocks in the grid for this spec */
    public long blocks(Conv2dSpec s) {
        long npq = (long) s.batch() * s.outHeight() * s.outWidth();
        return ((npq + bn - 1) / bn) * ((s.outChannels() + bm - 1) / bm);
    }

    /**
     * The rule an H200 sweep over six tile shapes supports (docs/benchmarks.md): 128x128 tiles pay off
     * only when K fills their 128 rows and the grid gives every SM at least a full round of two such
     * blocks; 64x64 tiles were the fastest, or within 1% of it, on every other layer measured, batch 1
     * included.
     *
     * @return the tile shape for this convolution on a device with {@code multiprocessors} SMs
     */
    public static TileConfig choose(Conv2dSpec s, int multiprocessors) {
        if (s.outChannels() >= 128 && T128X128.blocks(s) >= 2L * Math.max(1, multiprocessors)) {
            return T128X128;
        }
        return T64X64;
    }
}
