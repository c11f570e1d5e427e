package io.openautoglm.gnn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;

/** Small tensor helpers shared by the layers. */
final class Ops {
    private Ops() {}

    static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
    }

    /** Rows of {@code x} at {@code index} (a differentiable gather). */
    static NDArray rows(NDArray x, NDArray index) {
        return x.get(new NDIndex("{}", index));
    }

    /** Glorot-uniform weights drawn from a seeded Java RNG so that initialisation is reproducible. */
    static NDArray glorot(ai.djl.ndarray.NDManager m, Random rnd, long fanIn, long fanOut, Shape shape) {
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
        }
        NDArray w = m.create(v, shape);
        w.setRequiresGradient(true);
        return w;
    }

    static NDArray zeros(ai.djl.ndarray.NDManager m, Shape shape) {
        NDArray b = m.zeros(shape);
        b.setRequiresGradient(true);
        return b;
    }

    /**
     * A sparse COO matrix in memory PyTorch owns, registered with {@code manager}. DJL's {@code createCoo}
     * wraps the index and value arrays in Java direct buffers and releases them while the sparse tensor
     * still points at that memory, so after the next garbage collection the matrix may read freed memory
     * (seen here as training with one seed that differed between runs, and once as a diverged model).
     * Cloning both arrays inside PyTorch before building the matrix takes Java memory out of the picture.
     */
    static NDArray coo(NDManager manager, long[] rows, long[] cols, float[] vals, Shape shape) {
        try (NDManager scratch = manager.newSubManager()) {
            PtNDArray indices =
                    (PtNDArray) scratch.create(new long[][] {rows, cols}).duplicate();
            PtNDArray values = (PtNDArray) scratch.create(vals).duplicate();
            NDArray matrix = JniUtils.createSparseCoo(indices, values, shape);
            matrix.attach(manager);
            return matrix;
        }
    }
}
