package io.openautoglm.cuda.internal;

import io.openautoglm.cuda.Conv2dSpec;

/**
 * The tile shapes compiled into the PTX (see {@code conv2d_bias_relu.cu}): {@code bm} output channels
 * by {@code bn} output pixels per block. The choice changes speed only; every shape computes each
 * output by the same ordered chain.
 */
public enum TileConfig {
    T128X128("conv_128x128", 128, 128, 256, 64),
    T64X256("conv_64x256", 64, 256, 256, 64),
    T64X128("conv_64x128", 64, 128, 256, 32),
    T64X64("conv_64x64", 64, 64, 256, 16),
    T32X64("conv_32x64", 32, 64, 128, 16),
    T32X32("conv_32x32", 32, 32, 64, 16);

    private final String entry;
    private final int bm;
    private final int bn;
    private final int threads;
    private final int perThread;

    TileConfig(String entry, int bm, int bn, int threads, int perThread) {
        this.entry = entry;
        this.bm = bm;
        this.bn = bn;
        this.threads = threads;
        this.perThread = perThread;
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
     * A cost model, calibrated on one H200 sweep (docs/benchmarks.md), not a measurement. The busiest
     * SM runs {@code ceil(blocks / SMs)} blocks in rounds of as many as fit at once (so a last, partly
     * filled round costs a whole one); a round costs the tile area of its blocks (rows past K included,
     * so K = 64 avoids 128-row tiles), divided by how well the tile reuses each shared-memory load
     * (outputs per thread) and by how busy the round keeps the SM (8 resident warps taken as enough).
     *
     * @return the config with the smallest estimated time; ties go to the earlier constant
     */
    public static TileConfig choose(Conv2dSpec s, int multiprocessors) {
        int sms = Math.max(1, multiprocessors);
        TileConfig best = null;
        double bestCost = Double.MAX_VALUE;
        for (TileConfig c : values()) {
            long perSm = (c.blocks(s) + sms - 1) / sms;
            int registers = c.perThread >= 64 ? 128 : 64;
            long resident = Math.min(2048 / c.threads, 65536 / ((long) c.threads * registers));
            long rounds = (perSm + resident - 1) / resident;
            long perRound = Math.min(perSm, resident);
            double busy = Math.min(1.0, perRound * (c.threads / 32.0) / 8.0);
            double reuse = c.perThread >= 64 ? 1.0 : c.perThread >= 32 ? 0.85 : 0.9;
            double cost = rounds * perRound * (double) c.bm * c.bn / (reuse * busy);
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }
}
