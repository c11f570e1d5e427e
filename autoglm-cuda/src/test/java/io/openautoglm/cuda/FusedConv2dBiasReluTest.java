package io.openautoglm.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.cuda.internal.CpuConv;
import io.openautoglm.cuda.internal.Relu;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The public API on the CPU backend, which every machine has. */
class FusedConv2dBiasReluTest {
    private static final long SEED_EDGES = 20261126L;
    private static final long SEED_RANDOM_SHAPES = 424242L;

    @Test
    void cpuPathMatchesTheDoubleReferenceOnEdgeShapes() {
        Random rnd = new Random(SEED_EDGES);
        for (Conv2dSpec s : TestData.edgeShapes()) {
            float[] x = TestData.uniform(rnd, s.inputLength());
            float[] w = TestData.uniform(rnd, s.weightLength());
            float[] b = TestData.uniform(rnd, s.outChannels());
            try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                    .spec(s)
                    .weights(w)
                    .bias(b)
                    .backend(Backend.CPU)
                    .build()) {
                assertEquals(Backend.CPU, op.backend());
                TestData.assertCloseToReference(s, x, w, b, op.forward(x), "cpu " + s);
            }
        }
    }

    @Test
    void cpuPathMatchesTheDoubleReferenceOnRandomShapes() {
        Random rnd = new Random(SEED_RANDOM_SHAPES);
        for (int trial = 0; trial < 25; trial++) {
            int r = 1 + rnd.nextInt(4);
            int sk = 1 + rnd.nextInt(4);
            int dil = 1 + rnd.nextInt(2);
            int pad = rnd.nextInt(3);
            int h = dil * (r - 1) + 1 + rnd.nextInt(9);
            int w = dil * (sk - 1) + 1 + rnd.nextInt(9);
            Conv2dSpec s = Conv2dSpec.builder()
                    .batch(1 + rnd.nextInt(3))
                    .inChannels(1 + rnd.nextInt(12))
                    .height(h)
                    .width(w)
                    .outChannels(1 + rnd.nextInt(20))
                    .kernel(r, sk)
                    .stride(1 + rnd.nextInt(2), 1 + rnd.nextInt(3))
                    .padding(pad, rnd.nextInt(3))
                    .dilation(dil)
                    .build();
            float[] x = TestData.uniform(rnd, s.inputLength());
            float[] wt = TestData.uniform(rnd, s.weightLength());
            float[] b = TestData.uniform(rnd, s.outChannels());
            CpuConv cpu = new CpuConv(s, wt, b);
            float[] out = new float[s.outputLength()];
            cpu.forward(x, out);
            TestData.assertCloseToReference(s, x, wt, b, out, "trial " + trial);
            // The single-element path used for spot checks must be the same chain, bit for bit.
            for (int i = 0; i < 10; i++) {
                int n = rnd.nextInt(s.batch());
                int k = rnd.nextInt(s.outChannels());
                int oh = rnd.nextInt(s.outHeight());
                int ow = rnd.nextInt(s.outWidth());
                int idx = ((n * s.outChannels() + k) * s.outHeight() + oh) * s.outWidth() + ow;
                assertEquals(
                        Float.floatToRawIntBits(out[idx]),
                        Float.floatToRawIntBits(cpu.element(x, n, k, oh, ow)),
                        "element " + idx + " of " + s);
            }
        }
    }

    @Test
    void everyFastPathOfTheCpuEngineIsTheSameChainAsTheScalarOne() {
        // forward() has unit-stride and 1x1 loops of its own; element() is the plain chain.
        Random rnd = new Random(SEED_EDGES + 2);
        for (Conv2dSpec s : TestData.edgeShapes()) {
            float[] x = TestData.uniform(rnd, s.inputLength());
            CpuConv cpu =
                    new CpuConv(s, TestData.uniform(rnd, s.weightLength()), TestData.uniform(rnd, s.outChannels()));
            float[] out = new float[s.outputLength()];
            cpu.forward(x, out);
            float[] scalar = new float[out.length];
            int p = s.outHeight();
            int q = s.outWidth();
            for (int i = 0; i < out.length; i++) {
                scalar[i] =
                        cpu.element(x, i / (p * q * s.outChannels()), i / (p * q) % s.outChannels(), i / q % p, i % q);
            }
            TestData.assertBitwiseEqual(scalar, out, s.toString());
        }
    }

    @Test
    void cpuPathIsExactlyTheOrderedFmaChain() {
        // Sum of large and small terms: any other order or a non-fused multiply-add changes the bits.
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(3)
                .height(1)
                .width(1)
                .outChannels(1)
                .kernel(1, 1)
                .build();
        float[] x = {1e8f, 1.0f, -1e8f};
        float[] w = {1.0f, 0.75f, 1.0f};
        float[] b = {0.5f};
        float expected = Math.fma(-1e8f, 1.0f, Math.fma(1.0f, 0.75f, Math.fma(1e8f, 1.0f, 0.0f))) + 0.5f;
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(w)
                .bias(b)
                .backend(Backend.CPU)
                .build()) {
            assertEquals(expected, op.forward(x)[0]);
            assertEquals(0.5f, expected); // the 0.75 is absorbed by 1e8: order matters here
        }
    }

    @Test
    void reluPropagatesNanAndMakesZerosPositive() {
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(1)
                .height(1)
                .width(3)
                .outChannels(1)
                .kernel(1, 1)
                .build();
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(new float[] {-1f})
                .bias(new float[] {0f})
                .backend(Backend.CPU)
                .build()) {
            float[] y = op.forward(new float[] {Float.NaN, 0.0f, 2.0f});
            assertTrue(Float.isNaN(y[0]));
            assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(y[1]));
            assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(y[2]));
        }
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(Relu.apply(-0.0f)));
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(Relu.apply(-1e-30f)));
        assertEquals(3.5f, Relu.apply(3.5f));
        assertTrue(Float.isNaN(Relu.apply(Float.NaN)));
    }

    @Test
    void residentPathGivesTheSameResultAsForward() {
        Random rnd = new Random(SEED_EDGES + 1);
        Conv2dSpec s = TestData.edgeShapes()[1];
        float[] w = TestData.uniform(rnd, s.weightLength());
        float[] b = TestData.uniform(rnd, s.outChannels());
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                        .spec(s)
                        .weights(w)
                        .bias(b)
                        .backend(Backend.CPU)
                        .build();
                FusedConv2dBiasRelu.Resident r = op.resident()) {
            for (int i = 0; i < 3; i++) {
                float[] x = TestData.uniform(rnd, s.inputLength());
                r.upload(x);
                r.run();
                TestData.assertBitwiseEqual(op.forward(x), r.download(), "resident run " + i);
            }
        }
    }

    @Test
    void inPlaceIsRefusedEvenWhenTheLengthsMatch() {
        // 3 × 3, padding 1, as many output channels as input channels: output and input have one length
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(4)
                .height(6)
                .width(6)
                .outChannels(4)
                .kernel(3, 3)
                .padding(1, 1)
                .build();
        Random rnd = new Random(7);
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(TestData.uniform(rnd, s.weightLength()))
                .bias(TestData.uniform(rnd, 4))
                .backend(Backend.CPU)
                .build()) {
            float[] buf = TestData.uniform(rnd, s.inputLength());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.forward(buf, buf));
            assertTrue(e.getMessage().contains("different arrays"), e.getMessage());
        }
    }

    @Test
    void aClosedCpuOperatorAndResidentRefuseWorkAsOnTheGpu() {
        Conv2dSpec s = TestData.edgeShapes()[1];
        Random rnd = new Random(8);
        FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(TestData.uniform(rnd, s.weightLength()))
                .bias(TestData.uniform(rnd, s.outChannels()))
                .backend(Backend.CPU)
                .build();
        float[] x = TestData.uniform(rnd, s.inputLength());
        FusedConv2dBiasRelu.Resident r = op.resident();
        r.upload(x);
        r.run();
        r.close();
        r.close(); // idempotent
        assertThrows(IllegalStateException.class, r::download);
        assertThrows(IllegalStateException.class, r::run);
        op.close();
        op.close();
        assertThrows(IllegalStateException.class, () -> op.forward(x));
        assertThrows(IllegalStateException.class, op::resident);
    }

    @Test
    void weightsAreCopiedAtBuild() {
        Conv2dSpec s = TestData.edgeShapes()[0];
        Random rnd = new Random(7);
        float[] w = TestData.uniform(rnd, s.weightLength());
        float[] b = TestData.uniform(rnd, s.outChannels());
        float[] x = TestData.uniform(rnd, s.inputLength());
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(w)
                .bias(b)
                .backend(Backend.CPU)
                .build()) {
            float[] before = op.forward(x);
            java.util.Arrays.fill(w, 100f);
            java.util.Arrays.fill(b, 100f);
            TestData.assertBitwiseEqual(before, op.forward(x), "after caller changed its arrays");
        }
    }

    @Test
    void builderNamesWhatIsMissingOrWrong() {
        Conv2dSpec s = TestData.edgeShapes()[0]; // K5 C3 3x3: 135 weights
        float[] w = new float[s.weightLength()];
        float[] b = new float[5];
        assertMessageContains(
                "spec must be set",
                () -> FusedConv2dBiasRelu.builder().weights(w).bias(b).build());
        assertMessageContains(
                "weights must be set: [K][C][R][S] = 135 floats",
                () -> FusedConv2dBiasRelu.builder().spec(s).bias(b).build());
        assertMessageContains(
                "bias must be set: 5 floats",
                () -> FusedConv2dBiasRelu.builder().spec(s).weights(w).build());
        assertMessageContains(
                "weights length must be K*C*R*S = 135 for N1 C3 7x9 -> K5 3x3 s1 p1 d1 but was 134",
                () -> FusedConv2dBiasRelu.builder()
                        .spec(s)
                        .weights(new float[134])
                        .bias(b)
                        .build());
        assertMessageContains(
                "bias length must be outChannels = 5 but was 4",
                () -> FusedConv2dBiasRelu.builder()
                        .spec(s)
                        .weights(w)
                        .bias(new float[4])
                        .build());
        assertMessageContains(
                "backend must not be null",
                () -> FusedConv2dBiasRelu.builder()
                        .spec(s)
                        .weights(w)
                        .bias(b)
                        .backend(null)
                        .build());
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(w)
                .bias(b)
                .backend(Backend.CPU)
                .build()) {
            assertMessageContains("input length must be 189 but was 188", () -> op.forward(new float[188]));
            assertMessageContains(
                    "output length must be 315 but was 1", () -> op.forward(new float[189], new float[1]));
            try (FusedConv2dBiasRelu.Resident r = op.resident()) {
                assertMessageContains("input length must be 189 but was 3", () -> r.upload(new float[3]));
                assertMessageContains("output length must be 315 but was 3", () -> r.download(new float[3]));
            }
        }
    }

    private static void assertMessageContains(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
    }
}
