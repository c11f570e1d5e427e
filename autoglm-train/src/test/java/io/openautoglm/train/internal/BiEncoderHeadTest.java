package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BiEncoderHeadTest {
    private static final int HIDDEN = 3;

    /** Pairs of one-token texts, for a batch's rows: first texts, then second texts. */
    private static Batches.Batch batch(int[] labels, NDManager manager) {
        List<Batches.Example> examples = new ArrayList<>();
        for (int label : labels) {
            examples.add(Batches.Example.apart(new long[] {101}, new long[] {101, 7}, label));
        }
        return Batches.tensors(examples, manager);
    }

    /** CoSENT written out: log(1 + Σ over (non-match i, match j) of exp(20 (cos_i − cos_j))). */
    private static double bruteForce(float[] states, int[] labels) {
        int n = labels.length;
        double[] cos = new double[n];
        for (int i = 0; i < n; i++) {
            double dot = 0;
            double a = 0;
            double b = 0;
            for (int h = 0; h < HIDDEN; h++) {
                double x = states[i * 2 * HIDDEN + h]; // first token of row i
                double y = states[(n + i) * 2 * HIDDEN + h]; // first token of row n + i
                dot += x * y;
                a += x * x;
                b += y * y;
            }
            cos[i] = dot / Math.sqrt(a * b);
        }
        double sum = 1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (labels[i] == 0 && labels[j] == 1) {
                    sum += Math.exp(20 * (cos[i] - cos[j]));
                }
            }
        }
        return Math.log(sum);
    }

    @Test
    void lossIsCoSentOverTheBatchsPairsAndHasItsGradient() {
        int[] labels = {0, 1, 1, 0, 1};
        float[] states = new float[2 * labels.length * 2 * HIDDEN]; // 2n rows of two tokens
        Random random = new Random(3);
        for (int i = 0; i < states.length; i++) {
            states[i] = (float) random.nextGaussian();
        }
        BiEncoderHead head = new BiEncoderHead();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Batches.Batch batch = batch(labels, manager);
            assertArrayEquals(
                    new long[] {2 * labels.length, 2}, batch.ids().getShape().getShape(), "two rows a pair");
            NDArray hidden = manager.create(states, new Shape(2 * labels.length, 2, HIDDEN));
            hidden.setRequiresGradient(true);
            float loss;
            try (GradientCollector g = manager.getEngine().newGradientCollector()) {
                NDArray l = head.loss(hidden, batch);
                loss = l.getFloat();
                g.backward(l);
            }
            assertEquals(bruteForce(states, labels), loss, 1e-4);
            // the gradient against central differences of the written-out loss, on a few coordinates
            float[] gradient = hidden.getGradient().toFloatArray();
            for (int k : new int[] {0, 1, 7, 2 * HIDDEN * 6 + 2, states.length - 2 * HIDDEN}) {
                float[] up = states.clone();
                float[] down = states.clone();
                up[k] += 1e-3f;
                down[k] -= 1e-3f;
                double numeric = (bruteForce(up, labels) - bruteForce(down, labels)) / 2e-3;
                assertEquals(numeric, gradient[k], 2e-2 * Math.max(1, Math.abs(numeric)), "coordinate " + k);
            }
        }
    }

    @Test
    void aBatchOfOneKindHasNothingToRank() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray hidden = manager.randomNormal(new Shape(6, 2, HIDDEN));
            assertEquals(
                    0,
                    new BiEncoderHead()
                            .loss(hidden, batch(new int[] {1, 1, 1}, manager))
                            .getFloat(),
                    1e-6);
        }
    }

    @Test
    void devPicksTheCosineThresholdThatTheFolderServes() {
        BiEncoderHead head = new BiEncoderHead();
        assertFalse(head.served().containsKey("threshold"), "nothing chosen before dev is scored");
        int[] labels = {0, 1, 0, 1};
        // second texts at 90°, 30°, 60° and 0° from their first texts: cosines 0, 0.87, 0.5, 1
        double[] angles = {Math.PI / 2, Math.PI / 6, Math.PI / 3, 0};
        float[] states = new float[2 * labels.length * HIDDEN];
        for (int i = 0; i < labels.length; i++) {
            states[i * HIDDEN] = 1;
            states[(labels.length + i) * HIDDEN] = (float) Math.cos(angles[i]);
            states[(labels.length + i) * HIDDEN + 1] = (float) Math.sin(angles[i]);
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TaskHead.Score score = head.score();
            score.add(manager.create(states, new Shape(2 * labels.length, 1, HIDDEN)), batch(labels, manager));
            assertEquals(1.0, score.value(), 1e-9);
        }
        assertEquals((0.5 + Math.cos(Math.PI / 6)) / 2, head.threshold(), 1e-6, "halfway between 0.5 and 0.87");
        assertEquals("threshold", head.served().get("method"), "the engine's cosine-threshold matching");
        assertEquals(head.threshold(), (double) head.served().get("threshold"), 0.0);
    }

    /**
     * The loss's scale survives a garbage collection between the passes ({@link Scalars}): the states' gradient is the
     * same when the memory a freed constant held is refilled with a huge number before the backward pass.
     */
    @Test
    void aGarbageCollectionBetweenForwardAndBackwardLeavesTheGradientAlone() throws InterruptedException {
        int[] labels = {0, 1, 1, 0};
        float[] states = new float[2 * labels.length * 2 * HIDDEN];
        Random random = new Random(11);
        for (int i = 0; i < states.length; i++) {
            states[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Batches.Batch batch = batch(labels, manager);
            NDArray hidden = manager.create(states, new Shape(2 * labels.length, 2, HIDDEN));
            hidden.setRequiresGradient(true);
            float[] quiet = FreedMemory.gradient(hidden, h -> new BiEncoderHead().loss(h, batch), false);
            float[] collected = FreedMemory.gradient(hidden, h -> new BiEncoderHead().loss(h, batch), true);
            FreedMemory.assertSameGradient(quiet, collected);
        }
    }
}
