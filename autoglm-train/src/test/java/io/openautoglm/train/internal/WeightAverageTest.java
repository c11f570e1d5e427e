package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightAverageTest {

    @Test
    void aRunningMeanFirstThenAMovingAverageOverTheHorizon() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> live = new LinkedHashMap<>();
            live.put("w", manager.create(new float[] {0f, 10f}));
            live.values().forEach(p -> p.setRequiresGradient(true)); // as in training: leaves that take gradients
            WeightAverage average = new WeightAverage(live, 4); // every step; 3/4 kept once past the running mean
            double[] expected = {0, 0};
            for (int step = 1; step <= 8; step++) {
                live.get("w").set(new ai.djl.ndarray.index.NDIndex("..."), manager.create(new float[] {step, -step}));
                average.update(step);
                double keep = Math.min(0.75, (step - 1) / (double) step);
                expected[0] = keep * expected[0] + (1 - keep) * step;
                expected[1] = keep * expected[1] + (1 - keep) * -step;
                if (step == 3) {
                    // a plain mean of steps 1..3 so far, nothing of the weights before the first step
                    assertArrayEquals(
                            new float[] {2f, -2f},
                            average.state().get("average.w").toFloatArray(),
                            1e-6f);
                }
            }
            assertArrayEquals(
                    new float[] {(float) expected[0], (float) expected[1]},
                    average.state().get("average.w").toFloatArray(),
                    1e-5f);
            assertTrue(expected[0] > 5 && expected[0] < 8, "the average lags the live weight: " + expected[0]);
        }
    }

    @Test
    void updatesEveryFewStepsOnALongHorizonWeightedForTheStepsTheyStandFor() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> live = new LinkedHashMap<>();
            live.put("w", manager.create(new float[] {1f}));
            WeightAverage average = new WeightAverage(live, 320); // every 10th step, keep (1 - 1/320)^10
            average.update(5);
            assertEquals(1f, average.state().get("average.w").getFloat(), 0f, "step 5 is not an update step");
            live.get("w").set(new ai.djl.ndarray.index.NDIndex("..."), manager.create(new float[] {3f}));
            average.update(10); // the first update takes the live weight whole
            assertEquals(3f, average.state().get("average.w").getFloat(), 1e-6f);
        }
    }

    @Test
    void aSwapLendsTheAverageToTheLiveWeightsAndGivesThemBack() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> live = new LinkedHashMap<>();
            live.put("w", manager.create(new float[] {1f, 2f}));
            live.values().forEach(p -> p.setRequiresGradient(true));
            WeightAverage average = new WeightAverage(live, 1);
            live.get("w").set(new ai.djl.ndarray.index.NDIndex("..."), manager.create(new float[] {5f, 6f}));
            average.update(1);
            live.get("w").set(new ai.djl.ndarray.index.NDIndex("..."), manager.create(new float[] {7f, 8f}));
            try (NDManager scratch = manager.newSubManager()) {
                WeightAverage.Swap swap = average.swapIn(scratch);
                assertArrayEquals(new float[] {5f, 6f}, live.get("w").toFloatArray());
                swap.restore();
            }
            assertArrayEquals(new float[] {7f, 8f}, live.get("w").toFloatArray());
            assertTrue(live.get("w").hasGradient(), "the live weight still takes gradients");
            assertFalse(average.state().get("average.w").hasGradient(), "the average takes none");
        }
    }
}
