package io.openautoglm.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.openautoglm.cuda.Backend;
import io.openautoglm.cuda.Conv2dSpec;
import io.openautoglm.cuda.ConvolutionException;
import io.openautoglm.cuda.FusedConv2dBiasRelu;
import org.junit.jupiter.api.Test;

/** Shapes that validation allows but whose index arithmetic overflows an int. */
class OverflowShapesTest {
    private static final int BIG = Integer.MAX_VALUE;

    /** W=2, padW=stride=2^31-1: output column 1 reads input column 0, but the CPU path treats it as padding. */
    @Test
    void cpuPathSilentlyDropsARealTapWhenWPlusPadOverflows() {
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(1)
                .height(1)
                .width(2)
                .outChannels(1)
                .kernel(1, 1)
                .stride(1, BIG)
                .padding(0, BIG)
                .build();
        assertEquals(3, s.outWidth());
        float[] x = {5f, 7f};
        float[] w = {1f};
        float[] b = {0f};
        CpuConv cpu = new CpuConv(s, w, b);
        assertEquals(5f, cpu.element(x, 0, 0, 0, 1)); // the spot-check path is right
        assertEquals(5.0, ReferenceConv.compute(s, x, w, b)[1]); // so is the reference
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(w)
                .bias(b)
                .backend(Backend.CPU)
                .build()) {
            assertArrayEquals(new float[] {0f, 5f, 0f}, op.forward(x)); // gave {0, 0, 0}
        }
    }

    /** W=1, padW=stride=2^31-1: firstInside's -offset + stride - 1 wraps, lo becomes 0, x[-2147483647] is read. */
    @Test
    void cpuPathThrowsArrayIndexOutOfBoundsOnAValidSpec() {
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels(1)
                .height(1)
                .width(1)
                .outChannels(1)
                .kernel(1, 1)
                .stride(1, BIG)
                .padding(0, BIG)
                .build();
        try (FusedConv2dBiasRelu op = FusedConv2dBiasRelu.builder()
                .spec(s)
                .weights(new float[] {1f})
                .bias(new float[] {0f})
                .backend(Backend.CPU)
                .build()) {
            float[] y = assertDoesNotThrow(() -> op.forward(new float[] {5f}));
            assertArrayEquals(new float[] {0f, 5f, 0f}, y);
        }
    }

    /** C*R*S = 2^30+1 passes validation; 4 * reductionLength() wraps to 4, so the tap table overruns. */
    @Test
    void tapTableLengthOverflowsInt() {
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels((1 << 30) + 1)
                .height(1)
                .width(1)
                .outChannels(1)
                .kernel(1, 1)
                .build();
        assertThrows(ConvolutionException.class, () -> CudaConv.tapTable(s), "so that AUTO falls back to the CPU");
    }

    @Test
    void tapTableLengthNegative() {
        Conv2dSpec s = Conv2dSpec.builder()
                .batch(1)
                .inChannels((1 << 29) + 1)
                .height(1)
                .width(1)
                .outChannels(1)
                .kernel(1, 1)
                .build();
        assertThrows(ConvolutionException.class, () -> CudaConv.tapTable(s));
    }
}
