package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchingHeadTest {
    private static final int HIDDEN = 4;

    /** Dev accuracy of pairs whose first token points along axis {@code i % 4}, with the given labels. */
    private static double score(MatchingHead head, NDManager manager, int[] labels) {
        TaskHead.Score score = head.score();
        float[] states = new float[labels.length * 2 * HIDDEN]; // two tokens a pair
        List<Batches.Example> examples = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            states[i * 2 * HIDDEN + i % HIDDEN] = 1;
            examples.add(new Batches.Example(new long[] {101, 102}, new long[] {0, 0}, labels[i], null));
        }
        score.add(manager.create(states, new Shape(labels.length, 2, HIDDEN)), Batches.tensors(examples, manager));
        return score.value();
    }

    @Test
    void dependsOnTheThresholdBestForDevAndServesIt() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MatchingHead head = new MatchingHead(manager, HIDDEN, 1);
            assertFalse(head.served().containsKey("threshold"), "nothing chosen before dev is scored");
            // match logit rises along axes 0 < 1 < 2 < 3, always below "no match": at 0.5 nothing would match
            float[] w = new float[HIDDEN * 2];
            for (int h = 0; h < HIDDEN; h++) {
                w[h * 2] = 0.2f;
                w[h * 2 + 1] = 0.05f * h;
            }
            head.parameters().get("head.weight").set(FloatBuffer.wrap(w));
            double accuracy = score(head, manager, new int[] {0, 0, 1, 1, 0, 0, 1, 1});
            assertEquals(1.0, accuracy, 1e-9, "axes 2 and 3 are the matches: a cut between 1 and 2");
            assertTrue(head.threshold() < 0.5, "the cut lies below one half: " + head.threshold());
            assertEquals(head.threshold(), (double) head.served().get("threshold"), 0.0);
        }
    }

    @Test
    void aDevSetWithoutMatchesServesAThresholdNoProbabilityPasses() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MatchingHead head = new MatchingHead(manager, HIDDEN, 1);
            // a match probability of exactly 1.0f on axis 0: "never a match" would lie just above 1
            float[] w = new float[HIDDEN * 2];
            w[1] = 50;
            head.parameters().get("head.weight").set(FloatBuffer.wrap(w));
            assertEquals(1.0, score(head, manager, new int[] {0, 0, 0, 0}), 1e-9);
            assertEquals(1.0, head.threshold(), 0.0, "a probability, as the served head requires");
        }
    }
}
