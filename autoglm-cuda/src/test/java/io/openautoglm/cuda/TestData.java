package io.openautoglm.cuda;

import io.openautoglm.cuda.internal.ReferenceConv;
import java.util.Random;

/** Random tensors and the comparison against the double reference, shared by this module's tests. */
public final class TestData {
    private TestData() {}

    /** @return uniform values in [-1, 1) */
    public static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    /**
     * Asserts every element of {@code out} is within the float32 rounding bound of the double
     * reference: {@code (CRS + 2) * 2^-24 * (|b| + sum |x w|)}.
     */
    public static void assertCloseToReference(Conv2dSpec s, float[] x, float[] w, float[] b, float[] out, String ctx) {
        double[] abs = new double[s.outputLength()];
        double[] ref = ReferenceConv.compute(s, x, w, b, abs);
        double gamma = (s.reductionLength() + 2) * Math.ulp(1.0f) / 2;
        double num = 0;
        double den = 0;
        int positives = 0;
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(out[i] - ref[i]);
            double bound = gamma * abs[i] + Float.MIN_NORMAL;
            if (!(err <= bound)) {
                throw new AssertionError(ctx + ": element " + i + " of " + s + " is " + out[i] + ", reference " + ref[i]
                        + ", error " + err + " > bound " + bound);
            }
            num += err * err;
            den += ref[i] * ref[i];
            if (ref[i] > 0) {
                positives++;
            }
        }
        if (den > 0 && Math.sqrt(num / den) > 1e-6) {
            throw new AssertionError(ctx + ": relative error " + Math.sqrt(num / den) + " for " + s);
        }
        // Random data should leave both sides of the ReLU populated; otherwise the test proves little.
        if (ref.length >= 16 && (positives == 0 || positives == ref.length)) {
            throw new AssertionError(ctx + ": degenerate test data, " + positives + " of " + ref.length + " positive");
        }
    }

    /** Asserts identical float bits, reporting the first difference. */
    public static void assertBitwiseEqual(float[] expected, float[] actual, String ctx) {
        if (expected.length != actual.length) {
            throw new AssertionError(ctx + ": length " + actual.length + " != " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(ctx + ": element " + i + " is " + actual[i] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + "), expected " + expected[i]
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
            }
        }
    }

    /** Shapes that exercise the edges: odd sizes, stride 2, padding, 1x1, dilation, batch 1, tails. */
    public static Conv2dSpec[] edgeShapes() {
        return new Conv2dSpec[] {
            Conv2dSpec.builder()
                    .batch(1)
                    .inChannels(3)
                    .height(7)
                    .width(9)
                    .outChannels(5)
                    .kernel(3, 3)
                    .padding(1)
                    .build(),
            Conv2dSpec.builder()
                    .batch(2)
                    .inChannels(4)
                    .height(11)
                    .width(13)
                    .outChannels(6)
                    .kernel(3, 3)
                    .stride(2)
                    .padding(1)
                    .build(),
            Conv2dSpec.builder()
                    .batch(3)
                    .inChannels(16)
                    .height(5)
                    .width(5)
                    .outChannels(33)
                    .kernel(1, 1)
                    .build(),
            Conv2dSpec.builder()
                    .batch(1)
                    .inChannels(5)
                    .height(9)
                    .width(8)
                    .outChannels(7)
                    .kernel(5, 3)
                    .stride(2, 1)
                    .padding(2, 0)
                    .build(),
            Conv2dSpec.builder()
                    .batch(2)
                    .inChannels(3)
                    .height(10)
                    .width(10)
                    .outChannels(4)
                    .kernel(3, 3)
                    .dilation(2)
                    .padding(2)
                    .build(),
            Conv2dSpec.builder()
                    .batch(1)
                    .inChannels(1)
                    .height(1)
                    .width(1)
                    .outChannels(1)
                    .kernel(1, 1)
                    .build(),
            Conv2dSpec.builder()
                    .batch(1)
                    .inChannels(2)
                    .height(3)
                    .width(3)
                    .outChannels(3)
                    .kernel(3, 3)
                    .padding(2)
                    .stride(3)
                    .build(),
            Conv2dSpec.builder()
                    .batch(2)
                    .inChannels(9)
                    .height(6)
                    .width(7)
                    .outChannels(70)
                    .kernel(2, 2)
                    .stride(1)
                    .padding(1)
                    .build(),
        };
    }
}
