package io.openautoglm.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.openautoglm.cuda.Backend;
import io.openautoglm.cuda.Conv2dSpec;
import io.openautoglm.cuda.FusedConv2dBiasRelu;
import io.openautoglm.cuda.TestData;
import java.util.Random;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPU against CPU, bit for bit, on fresh random inputs (the seed is in every failure message) with
 * the device output poisoned by a NaN pattern first, so an element the kernel never wrote shows.
 * Skipped with the probe's reason where no GPU is usable, as on CI.
 */
class CudaConvGpuTest {
    private static final int POISON = 0x7fc0dead; // a quiet NaN no kernel produces from finite data

    @BeforeEach
    void requireGpu() {
        CudaProbe.Result r = CudaProbe.result();
        Assumptions.assumeTrue(r.available(), () -> "no usable GPU: " + r.reason());
    }

    private static long freshSeed() {
        return System.nanoTime();
    }

    @Test
    void everyTileShapeMatchesTheCpuPathBitForBit() {
        long seed = freshSeed();
        Random rnd = new Random(seed);
        Conv2dSpec[] shapes = append(
                TestData.edgeShapes(),
                Conv2dSpec.builder()
                        .batch(2)
                        .inChannels(64)
                        .height(14)
                        .width(14)
                        .outChannels(64)
                        .kernel(3, 3)
                        .padding(1)
                        .build(),
                Conv2dSpec.builder()
                        .batch(3)
                        .inChannels(32)
                        .height(9)
                        .width(11)
                        .outChannels(130)
                        .kernel(1, 1)
                        .build(),
                Conv2dSpec.builder()
                        .batch(1)
                        .inChannels(3)
                        .height(33)
                        .width(31)
                        .outChannels(16)
                        .kernel(7, 7)
                        .stride(2)
                        .padding(3)
                        .build());
        for (Conv2dSpec s : shapes) {
            float[] x = TestData.uniform(rnd, s.inputLength());
            float[] w = TestData.uniform(rnd, s.weightLength());
            float[] b = TestData.uniform(rnd, s.outChannels());
            float[] expected = new float[s.outputLength()];
            new CpuConv(s, w, b).forward(x, expected);
            TestData.assertCloseToReference(s, x, w, b, expected, "cpu, seed " + seed);
            try (CudaConv gpu = new CudaConv(s, w, b, CudaProbe.result().multiprocessors())) {
                CUdeviceptr in = gpu.alloc(s.inputLength());
                CUdeviceptr out = gpu.alloc(s.outputLength());
                try {
                    gpu.copyIn(in, x);
                    for (TileConfig c : TileConfig.values()) {
                        gpu.tile(c);
                        float[] fused = new float[s.outputLength()];
                        gpu.poison(out, s.outputLength(), POISON);
                        gpu.launchFused(in, out);
                        gpu.copyOut(out, fused);
                        TestData.assertBitwiseEqual(expected, fused, "fused " + c + " " + s + " seed " + seed);
                        float[] unfused = new float[s.outputLength()];
                        gpu.poison(out, s.outputLength(), POISON);
                        gpu.launchUnfused(in, out);
                        gpu.copyOut(out, unfused);
                        TestData.assertBitwiseEqual(expected, unfused, "unfused " + c + " " + s + " seed " + seed);
                    }
                } finally {
                    gpu.free(in);
                    gpu.free(out);
                }
            }
        }
    }

    @Test
    void publicApiOnCudaMatchesCpuForForwardAndResident() {
        long seed = freshSeed();
        Random rnd = new Random(seed);
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(2)
                .inChannels(16)
                .height(28)
                .width(28)
                .outChannels(48)
                .kernel(3, 3)
                .stride(2)
                .padding(1)
                .build();
        float[] w = TestData.uniform(rnd, s.weightLength());
        float[] b = TestData.uniform(rnd, s.outChannels());
        try (FusedConv2dBiasRelu gpu = FusedConv2dBiasRelu.builder()
                        .spec(s)
                        .weights(w)
                        .bias(b)
                        .backend(Backend.CUDA)
                        .build();
                FusedConv2dBiasRelu auto =
                        FusedConv2dBiasRelu.builder().spec(s).weights(w).bias(b).build();
                FusedConv2dBiasRelu cpu = FusedConv2dBiasRelu.builder()
                        .spec(s)
                        .weights(w)
                        .bias(b)
                        .backend(Backend.CPU)
                        .build();
                FusedConv2dBiasRelu.Resident resident = gpu.resident()) {
            assertEquals(Backend.CUDA, gpu.backend());
            assertEquals(Backend.CUDA, auto.backend());
            for (int i = 0; i < 3; i++) {
                float[] x = TestData.uniform(rnd, s.inputLength());
                float[] expected = cpu.forward(x);
                float[] out = new float[s.outputLength()];
                java.util.Arrays.fill(out, Float.intBitsToFloat(POISON));
                gpu.forward(x, out);
                TestData.assertBitwiseEqual(expected, out, "forward " + i + " seed " + seed);
                TestData.assertBitwiseEqual(expected, auto.forward(x), "auto " + i + " seed " + seed);
                resident.upload(x);
                resident.run();
                resident.run(); // idempotent: same input, same output
                TestData.assertBitwiseEqual(expected, resident.download(), "resident " + i + " seed " + seed);
            }
        }
    }

    @Test
    void aClosedOperatorRefusesWork() {
        Conv2dSpec s = TestData.edgeShapes()[0];
        FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(new float[s.weightLength()])
                .bias(new float[s.outChannels()])
                .backend(Backend.CUDA)
                .build();
        op.close();
        op.close();
        assertThrows(IllegalStateException.class, () -> op.forward(new float[s.inputLength()]));
    }

    private static Conv2dSpec[] append(Conv2dSpec[] a, Conv2dSpec... more) {
        Conv2dSpec[] r = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }
}
