package io.openautoglm.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Constant factors of the differentiable graph, in memory PyTorch owns.
 *
 * <p>DJL's {@code NDArray.mul(Number)} and {@code div(Number)} wrap the number in a tensor over a Java direct buffer
 * and close that tensor's Java handle as soon as the operation returns. On a CPU the tensor reads the buffer in place,
 * and autograd keeps it for the backward pass (a product's gradient needs its factor), so the garbage collector may
 * free the buffer between the forward and the backward pass: the gradient then reads freed memory. Seen as batches
 * skipped for a non-finite gradient norm (hundreds in 40 steps with the collector forced to run every 50 ms, none
 * with this class) and, where the reused memory held a finite number, as gradients silently scaled by it. Sums and
 * differences keep no operand, so {@code add(Number)} and {@code sub(Number)} are safe, as is any operation on an
 * array that needs no gradient (the attention mask); a product or quotient by a constant of an array that needs one
 * goes through here.
 */
final class Scalars {
    private Scalars() {}

    /** {@code value} as a scalar tensor of {@code like}'s manager and type, in memory PyTorch allocated. */
    static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }
}
