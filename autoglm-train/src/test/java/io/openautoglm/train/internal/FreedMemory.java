package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Between a forward and a backward pass, runs the garbage collector and refills the memory it freed with a huge
 * number: a constant that autograd still needs but Java let go of ({@link Scalars}) then turns the gradients into
 * garbage, where without the refill the freed memory would often still hold the right value and hide the fault. The
 * allocator need not hand the freed block out again, so a test catches the fault often (3 runs of 3 when it was
 * measured), not surely.
 */
final class FreedMemory {
    private FreedMemory() {}

    /** Collects three times and fills small buffers, as a scalar's, that malloc hands out again; close them after. */
    static List<NDArray> collectAndRefill(NDManager manager) throws InterruptedException {
        List<NDArray> refill = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50); // the buffers' cleaner frees their memory on a thread of its own
            for (int i = 0; i < 200; i++) {
                refill.add(manager.create(1e30f));
            }
        }
        return refill;
    }

    /**
     * The gradient of {@code loss(input)} with respect to {@code input} (which requires a gradient), with or without
     * a collection and refill between the passes; the input's gradient is zeroed again after. Call it without the
     * collection first: zeroing subtracts the gradient from itself, which leaves NaN where a garbage one was infinite.
     */
    static float[] gradient(NDArray input, UnaryOperator<NDArray> loss, boolean collect) throws InterruptedException {
        List<NDArray> refill = List.of();
        try (GradientCollector g = input.getManager().getEngine().newGradientCollector()) {
            NDArray value = loss.apply(input);
            if (collect) {
                refill = collectAndRefill(input.getManager());
            }
            g.backward(value);
        }
        NDArray gradient = input.getGradient();
        float[] out = gradient.toFloatArray();
        gradient.subi(gradient);
        refill.forEach(NDArray::close);
        return out;
    }

    /** The gradient without a collection has something to compare (finite, not all zero), and the other equals it. */
    static void assertSameGradient(float[] quiet, float[] collected) {
        boolean signal = false;
        for (float f : quiet) {
            assertTrue(Float.isFinite(f), "the undisturbed gradient is finite");
            signal |= f != 0;
        }
        assertTrue(signal, "the undisturbed gradient is not all zero");
        assertArrayEquals(quiet, collected, 0f);
    }
}
