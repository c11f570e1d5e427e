package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {
    // AdamW's constants are floats: 1 - 0.999f is 1.3e-5 off 0.001, more than the tolerance, so the reference takes
    // the same values, in doubles
    private static final double BETA1 = 0.9f;
    private static final double BETA2 = 0.999f;
    private static final double EPSILON = 1e-6f;

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

    /**
     * Several steps against the textbook AdamW in doubles: the step folds the clip factor and the bias corrections into
     * scalars and reorders the arithmetic, which must change nothing but float rounding.
     */
    @Test
    void stepsMatchTextbookAdamWInDoubles() {
        for (float weightDecay : new float[] {0f, 0.1f}) {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                Random random = new Random(7);
                String[] names = {"layer.weight", "layer.bias", "LayerNorm.gamma"};
                long[][] shapes = {{3, 4}, {4}, {5}};
                Map<String, NDArray> params = new LinkedHashMap<>();
                Map<String, double[]> w = new LinkedHashMap<>();
                Map<String, double[]> m = new LinkedHashMap<>();
                Map<String, double[]> v = new LinkedHashMap<>();
                for (int i = 0; i < names.length; i++) {
                    float[] init = gaussian(random, (int) new Shape(shapes[i]).size(), 1);
                    params.put(names[i], manager.create(init, new Shape(shapes[i])));
                    w.put(names[i], toDoubles(init));
                    m.put(names[i], new double[init.length]);
                    v.put(names[i], new double[init.length]);
                }
                params.values().forEach(p -> p.setRequiresGradient(true));
                AdamW adam = new AdamW(params, weightDecay);
                float[] rates = {1e-2f, 2e-2f, 5e-3f, 1e-2f, 3e-2f};
                float[] clips = {0.5f, 1f, 0.25f, 0.8f, 1f};
                for (int t = 1; t <= rates.length; t++) {
                    Map<String, float[]> gradients = new LinkedHashMap<>();
                    for (String name : names) {
                        // one parameter's gradients near ε, where its placement shows; one step's far below it on all;
                        // one zero in each, as a real step sees
                        double scale = t == 2 ? 1e-7 : name.startsWith("LayerNorm") ? 1e-6 : 1;
                        float[] g = gaussian(random, w.get(name).length, scale);
                        g[0] = 0;
                        gradients.put(name, g);
                    }
                    backward(params, gradients);
                    float lr = rates[t - 1];
                    float clip = clips[t - 1];
                    try (NDManager scratch = manager.newSubManager()) {
                        adam.step(lr, clip, scratch);
                        adam.clear(true, scratch);
                    }
                    double c1 = 1 - Math.pow(BETA1, t);
                    double c2 = 1 - Math.pow(BETA2, t);
                    for (String name : names) {
                        double[] wn = w.get(name);
                        double[] mn = m.get(name);
                        double[] vn = v.get(name);
                        float[] g = gradients.get(name);
                        for (int i = 0; i < wn.length; i++) {
                            double gi = g[i] * (double) clip;
                            mn[i] = BETA1 * mn[i] + (1 - BETA1) * gi;
                            vn[i] = BETA2 * vn[i] + (1 - BETA2) * gi * gi;
                            if (AdamW.decays(name)) {
                                wn[i] *= 1 - lr * (double) weightDecay;
                            }
                            wn[i] -= lr * (mn[i] / c1) / (Math.sqrt(vn[i] / c2) + EPSILON);
                        }
                        String at = name + " after step " + t + " with decay " + weightDecay;
                        assertClose(wn, params.get(name).toFloatArray(), at);
                        assertClose(mn, adam.state().get("first." + name).toFloatArray(), "m of " + at);
                        assertClose(vn, adam.state().get("second." + name).toFloatArray(), "v of " + at);
                        assertArrayEquals(
                                new float[wn.length],
                                params.get(name).getGradient().toFloatArray(),
                                at);
                    }
                }
                assertEquals(rates.length, adam.steps());
            }
        }
    }

    @Test
    void squaredGradientNormIsTheSumOfSquaresOverAllTensors() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Random random = new Random(11);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("a.weight", manager.zeros(new Shape(17, 9)));
            params.put("a.bias", manager.zeros(new Shape(9)));
            params.put("b.weight", manager.zeros(new Shape(2, 3, 4)));
            params.values().forEach(p -> p.setRequiresGradient(true));
            AdamW adam = new AdamW(params, 0.01f);
            Map<String, float[]> gradients = new LinkedHashMap<>();
            double expected = 0;
            for (Map.Entry<String, NDArray> p : params.entrySet()) {
                float[] g = gaussian(random, (int) p.getValue().size(), 3);
                gradients.put(p.getKey(), g);
                for (float x : g) {
                    expected += (double) x * x;
                }
            }
            backward(params, gradients);
            try (NDManager scratch = manager.newSubManager()) {
                assertEquals(expected, adam.squaredGradientNorm(scratch), 1e-5 * expected);
                // reading the norm leaves the gradients as they were
                for (Map.Entry<String, NDArray> p : params.entrySet()) {
                    assertArrayEquals(
                            gradients.get(p.getKey()),
                            p.getValue().getGradient().toFloatArray());
                }
            }
            try (NDManager scratch = manager.newSubManager()) {
                assertEquals(0, new AdamW(new LinkedHashMap<>(), 0f).squaredGradientNorm(scratch));
            }
        }
    }

    /** Backward of Σ p·g, whose gradient for each parameter is exactly g. */
    private static void backward(Map<String, NDArray> params, Map<String, float[]> gradients) {
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Map.Entry<String, NDArray> p : params.entrySet()) {
                NDArray w = p.getValue();
                NDArray term = w.mul(w.getManager().create(gradients.get(p.getKey()), w.getShape()))
                        .sum();
                loss = loss == null ? term : loss.add(term);
            }
            c.backward(loss);
        }
    }

    private static float[] gaussian(Random random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    private static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Relative 1e-5, with a floor far below any value the test produces but zero. */
    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 * Math.abs(expected[i]) + 1e-30;
            assertTrue(
                    Math.abs(expected[i] - actual[i]) <= tolerance,
                    what + " [" + i + "]: expected " + expected[i] + " but was " + actual[i]);
        }
    }
}
