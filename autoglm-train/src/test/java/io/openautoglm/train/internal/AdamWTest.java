package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
    @Test
    void oneStepIsAdamWithDecoupledDecayAndNoDecayOnBiases() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w.weight", manager.create(new float[] {1f, -2f}));
            params.put("w.bias", manager.create(new float[] {0.5f}));
            params.values().forEach(p -> p.setRequiresGradient(true));
            AdamW adam = new AdamW(params, 0.1f);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                // loss = 3·w0 + w1² + 4·b: gradients (3, -4) and (4)
                NDArray w = params.get("w.weight");
                NDArray loss = w.get(0)
                        .mul(3)
                        .add(w.get(1).square())
                        .add(params.get("w.bias").sum().mul(4));
                c.backward(loss);
            }
            try (NDManager scratch = manager.newSubManager()) {
                assertEquals(9 + 16 + 16, adam.squaredGradientNorm(scratch), 1e-4);
                adam.step(0.01f, 1f, scratch);
                adam.clear(true, scratch);
            }
            // first step: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε) = ±lr; the weight also decays by lr·wd
            assertArrayEquals(
                    new float[] {1f * (1 - 0.001f) - 0.01f, -2f * (1 - 0.001f) + 0.01f},
                    params.get("w.weight").toFloatArray(),
                    1e-6f);
            assertArrayEquals(new float[] {0.5f - 0.01f}, params.get("w.bias").toFloatArray(), 1e-6f);
            assertArrayEquals(
                    new float[] {0f, 0f}, params.get("w.weight").getGradient().toFloatArray());
        }
    }

    @Test
    void anInfiniteGradientIsClearedToZeroNotToNaN() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w.weight", manager.create(new float[] {1f, 2f}));
            params.values().forEach(p -> p.setRequiresGradient(true));
            AdamW adam = new AdamW(params, 0f);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(params.get("w.weight").mul(Float.POSITIVE_INFINITY).sum());
            }
            try (NDManager scratch = manager.newSubManager()) {
                assertEquals(Double.POSITIVE_INFINITY, adam.squaredGradientNorm(scratch));
                assertEquals("w.weight", adam.firstNonFinite(scratch));
                adam.clear(false, scratch);
                assertEquals("none", adam.firstNonFinite(scratch));
            }
            assertArrayEquals(
                    new float[] {0f, 0f}, params.get("w.weight").getGradient().toFloatArray());
            // the next batch accumulates into the cleared gradient; a gradient whose storage had been swapped for a
            // buffer of a closed handle would be reading memory the collector may have freed and reused by now
            System.gc();
            for (int i = 0; i < 1000; i++) {
                manager.create(new float[] {i, i}).close();
            }
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(params.get("w.weight").mul(3).sum());
            }
            assertArrayEquals(
                    new float[] {3f, 3f}, params.get("w.weight").getGradient().toFloatArray());
        }
    }
}
