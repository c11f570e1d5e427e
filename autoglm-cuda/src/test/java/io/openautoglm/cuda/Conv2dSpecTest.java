package io.openautoglm.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Conv2dSpecTest {

    private static Conv2dSpec.Builder resnet() {
        return Conv2dSpec.builder()
                .batch(1)
                .inChannels(64)
                .height(56)
                .width(56)
                .outChannels(64)
                .kernel(3, 3)
                .padding(1);
    }

    @Test
    void outputSizeFollowsTheConvolutionFormula() {
        Conv2dSpec s = resnet().build();
        assertEquals(56, s.outHeight());
        assertEquals(56, s.outWidth());
        Conv2dSpec strided = resnet().stride(2).build();
        assertEquals(28, strided.outHeight());
        Conv2dSpec dilated = Conv2dSpec.builder()
                .batch(2)
                .inChannels(3)
                .height(10)
                .width(12)
                .outChannels(4)
                .kernel(3, 5)
                .dilation(2, 1)
                .padding(0, 1)
                .stride(1, 3)
                .build();
        assertEquals(6, dilated.outHeight()); // (10 - 5) / 1 + 1
        assertEquals(4, dilated.outWidth()); // (12 + 2 - 5) / 3 + 1
        assertEquals(2 * 4 * 6 * 4, dilated.outputLength());
        assertEquals(4 * 3 * 3 * 5, dilated.weightLength());
        assertEquals(2.0 * 2 * 4 * 6 * 4 * 3 * 3 * 5, dilated.flops());
    }

    @Test
    void everyFieldIsValidatedWithItsNameAndValue() {
        assertMessage("batch must be >= 1 but was 0", () -> resnet().batch(0).build());
        assertMessage(
                "inChannels must be >= 1 but was -3",
                () -> resnet().inChannels(-3).build());
        assertMessage("height must be >= 1 but was 0", () -> resnet().height(0).build());
        assertMessage("width must be >= 1 but was 0", () -> resnet().width(0).build());
        assertMessage(
                "outChannels must be >= 1 but was 0",
                () -> resnet().outChannels(0).build());
        assertMessage(
                "kernelWidth must be >= 1 but was 0",
                () -> resnet().kernel(3, 0).build());
        assertMessage(
                "strideHeight must be >= 1 but was 0",
                () -> resnet().stride(0, 1).build());
        assertMessage(
                "padWidth must be >= 0 but was -1",
                () -> resnet().padding(0, -1).build());
        assertMessage(
                "dilationHeight must be >= 1 but was 0",
                () -> resnet().dilation(0).build());
    }

    @Test
    void aKernelLargerThanThePaddedInputIsRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Conv2dSpec.builder()
                        .batch(1)
                        .inChannels(1)
                        .height(3)
                        .width(8)
                        .outChannels(1)
                        .kernel(3, 3)
                        .dilation(2)
                        .build());
        assertTrue(e.getMessage().contains("kernelHeight 3 with dilationHeight 2 spans 5 rows"), e.getMessage());
        assertTrue(e.getMessage().contains("height 3"), e.getMessage());
    }

    @Test
    void tensorsLargerThanAJavaArrayAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Conv2dSpec.builder()
                        .batch(1024)
                        .inChannels(1024)
                        .height(64)
                        .width(64)
                        .outChannels(1)
                        .kernel(1, 1)
                        .build());
        assertTrue(e.getMessage().contains("input length"), e.getMessage());
        assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
    }

    @Test
    void toStringIsCompact() {
        assertEquals("N1 C64 56x56 -> K64 3x3 s1 p1 d1", resnet().build().toString());
        assertEquals(
                "N1 C64 56x56 -> K64 3x3 s2x1 p1 d1",
                resnet().stride(2, 1).build().toString());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
