package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
                live.get("w").set(new NDIndex("..."), manager.create(new float[] {step, -step}));
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
            float[] got = average.state().get("average.w").toFloatArray();
            assertArrayEquals(new float[] {(float) expected[0], (float) expected[1]}, got, 1e-5f);
            assertTrue(got[0] > 5 && got[0] < 8, "the average lags the live weight: " + got[0]);
        }
    }

    @Test
    void updatesEveryFewStepsOnALongHorizonWeightedForTheStepsTheyStandFor() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> live = new LinkedHashMap<>();
            live.put("w", manager.create(new float[] {1f}));
            WeightAverage average = new WeightAverage(live, 320); // every 10th step, keep (1 - 1/320)^10
            double keep = Math.pow(1 - 1 / 320.0, 10);
            double expected = 1;
            for (int step = 1; step <= 600; step++) {
                live.get("w").set(new NDIndex("..."), manager.create(new float[] {step}));
                average.update(step);
                if (step % 10 == 0) {
                    long n = step / 10;
                    double k = Math.min(keep, (n - 1) / (double) n); // past update 32, the moving average's share
                    expected = k * expected + (1 - k) * step;
                }
                if (step == 5) {
                    assertEquals(1f, average.state().get("average.w").getFloat(), 0f, "step 5 is no update step");
                }
                if (step == 10) {
                    assertEquals(10f, average.state().get("average.w").getFloat(), 0f, "the first update takes all");
                }
            }
            assertEquals(expected, average.state().get("average.w").getFloat(), 1e-3);
            // a rising weight: the running mean of the first 320 steps lags it by 155, the moving average after it
            // more, toward its mean age of 320 steps
            double lag = 600 - average.state().get("average.w").getFloat();
            assertTrue(lag > 200 && lag < 320, "lag " + lag);
        }
    }

    @Test
    void aSwapLendsTheAverageToTheLiveWeightsAndGivesThemBack() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> live = new LinkedHashMap<>();
            live.put("w", manager.create(new float[] {1f, 2f}));
            live.values().forEach(p -> p.setRequiresGradient(true));
            WeightAverage average = new WeightAverage(live, 1);
            live.get("w").set(new NDIndex("..."), manager.create(new float[] {5f, 6f}));
            average.update(1);
            live.get("w").set(new NDIndex("..."), manager.create(new float[] {7f, 8f}));
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
