package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.openautoglm.local.internal.TunedHead;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The head as served (local's TunedHead, plain Java) computes what the head as trained computes on PyTorch. */
class ClassificationHeadTest {
    @Test
    void theServedHeadGivesTheTrainedHeadsProbabilities() {
        Random random = new Random(3);
        int hidden = 16;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ClassificationHead head = new ClassificationHead(manager, hidden, List.of("a", "b", "c"), 11);
            float[] bias = {0.3f, -0.7f, 0.1f};
            head.bias().set(FloatBuffer.wrap(bias));
            float[] states = new float[2 * 4 * hidden]; // two texts of four tokens
            for (int i = 0; i < states.length; i++) {
                states[i] = (float) random.nextGaussian() * 3;
            }
            NDArray trained =
                    head.logits(manager.create(states, new Shape(2, 4, hidden))).softmax(1);
            float[] expected = trained.toFloatArray();

            TunedHead served = new TunedHead(
                    "text_classification",
                    List.of("a", "b", "c"),
                    head.servedWeights(),
                    head.bias().toFloatArray(),
                    0,
                    null,
                    Double.NaN);
            for (int row = 0; row < 2; row++) {
                float[] cls = new float[hidden]; // the engine's sentence vector: the first token, unit-normalised
                System.arraycopy(states, row * 4 * hidden, cls, 0, hidden);
                double norm = 0;
                for (float v : cls) {
                    norm += v * v;
                }
                for (int h = 0; h < hidden; h++) {
                    cls[h] /= (float) Math.sqrt(norm);
                }
                double[] p = served.probabilities(cls);
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[row * 3 + c], p[c], 1e-5, "row " + row + ", class " + c);
                }
            }
        }
    }

    @Test
    void startsAtTheLinearClassifierItIsGiven() {
        Random random = new Random(4);
        int hidden = 8;
        double[][] w = new double[3][hidden];
        double[] b = {0.5, -1, 0.25};
        for (double[] row : w) {
            for (int h = 0; h < hidden; h++) {
                row[h] = random.nextGaussian() * 5;
            }
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ClassificationHead head = new ClassificationHead(manager, hidden, List.of("a", "b", "c"), 11);
            head.start(new io.openautoglm.local.LogisticRegressionHead.Linear(w, b));
            float[] states = new float[2 * hidden]; // one text of two tokens
            double norm = 0;
            for (int h = 0; h < hidden; h++) {
                states[h] = (float) random.nextGaussian();
                norm += states[h] * (double) states[h];
            }
            float[] logits =
                    head.logits(manager.create(states, new Shape(1, 2, hidden))).toFloatArray();
            for (int c = 0; c < 3; c++) {
                double expected = b[c];
                for (int h = 0; h < hidden; h++) {
                    expected += w[c][h] * states[h] / Math.sqrt(norm);
                }
                assertEquals(expected, logits[c], 1e-4, "class " + c);
            }
        }
    }
    /**
     * The head's scale survives a garbage collection between the passes ({@link Scalars}): the states' gradient is the
     * same when the memory a freed constant held is refilled with a huge number before the backward pass.
     */
    @Test
    void aGarbageCollectionBetweenForwardAndBackwardLeavesTheGradientAlone() throws InterruptedException {
        Random random = new Random(7);
        float[] states = new float[2 * 3 * 8];
        for (int i = 0; i < states.length; i++) {
            states[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ClassificationHead head = new ClassificationHead(manager, 8, List.of("a", "b"), 5);
            NDArray hidden = manager.create(states, new Shape(2, 3, 8));
            hidden.setRequiresGradient(true);
            float[] quiet = FreedMemory.gradient(hidden, h -> loss(head, h), false);
            float[] collected = FreedMemory.gradient(hidden, h -> loss(head, h), true);
            FreedMemory.assertSameGradient(quiet, collected);
        }
    }

    private static NDArray loss(ClassificationHead head, NDArray hidden) {
        return head.logits(hidden).logSoftmax(1).get(":, 0").sum().neg();
    }
}
