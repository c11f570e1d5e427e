package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRF against brute force: every tag path enumerated, in double precision. */
class CrfTest {
    private static final int T = 3;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A tiny batch: emissions [B, L, T], gold tags, and the real length of each row. */
    private record Batch(float[] emissions, long[] tags, int[] lengths, int length) {
        int rows() {
            return lengths.length;
        }

        NDArray emissionsArray(NDManager m) {
            return m.create(emissions, new Shape(rows(), length, T));
        }

        NDArray tagsArray(NDManager m) {
            return m.create(tags, new Shape(rows(), length));
        }

        NDArray booleanMask(NDManager m) {
            boolean[] mask = new boolean[rows() * length];
            for (int b = 0; b < rows(); b++) {
                for (int i = 0; i < lengths[b]; i++) {
                    mask[b * length + i] = true;
                }
            }
            return m.create(mask, new Shape(rows(), length));
        }

        NDArray intMask(NDManager m) {
            int[] mask = new int[rows() * length];
            for (int b = 0; b < rows(); b++) {
                for (int i = 0; i < lengths[b]; i++) {
                    mask[b * length + i] = 1;
                }
            }
            return m.create(mask, new Shape(rows(), length));
        }

        double emission(int b, int i, int tag) {
            return emissions[(b * length + i) * T + tag];
        }
    }

    private static Batch randomBatch(Random random, int length, int... lengths) {
        float[] e = new float[lengths.length * length * T];
        for (int k = 0; k < e.length; k++) {
            e[k] = (float) (random.nextGaussian() * 1.5);
        }
        long[] tags = new long[lengths.length * length];
        for (int k = 0; k < tags.length; k++) {
            tags[k] = random.nextInt(T);
        }
        return new Batch(e, tags, lengths, length);
    }

    /** Parameters large enough that transitions, start and end change which paths win. */
    private static Map<String, float[]> randomValues(Random random) {
        Map<String, float[]> v = new LinkedHashMap<>();
        v.put("transitions", gaussian(random, T * T));
        v.put("start", gaussian(random, T));
        v.put("end", gaussian(random, T));
        return v;
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    // ---- brute force, in double precision ----

    private static double pathScore(Batch x, int b, int[] path, Map<String, float[]> p) {
        double s = p.get("start")[path[0]] + p.get("end")[path[path.length - 1]];
        for (int i = 0; i < path.length; i++) {
            s += x.emission(b, i, path[i]);
            if (i > 0) {
                s += p.get("transitions")[path[i - 1] * T + path[i]];
            }
        }
        return s;
    }

    /** Every path of length n, in lexicographic order. */
    private static List<int[]> allPaths(int n) {
        int count = (int) Math.pow(T, n);
        int[][] paths = new int[count][n];
        for (int c = 0; c < count; c++) {
            for (int i = n - 1, r = c; i >= 0; i--, r /= T) {
                paths[c][i] = r % T;
            }
        }
        return List.of(paths);
    }

    private static double bruteNll(Batch x, Map<String, float[]> p) {
        double total = 0;
        for (int b = 0; b < x.rows(); b++) {
            int n = x.lengths()[b];
            double max = Double.NEGATIVE_INFINITY;
            List<int[]> paths = allPaths(n);
            double[] scores = new double[paths.size()];
            for (int k = 0; k < scores.length; k++) {
                scores[k] = pathScore(x, b, paths.get(k), p);
                max = Math.max(max, scores[k]);
            }
            double sum = 0;
            for (double s : scores) {
                sum += Math.exp(s - max);
            }
            int[] gold = new int[n];
            for (int i = 0; i < n; i++) {
                gold[i] = (int) x.tags()[b * x.length() + i];
            }
            total += max + Math.log(sum) - pathScore(x, b, gold, p);
        }
        return total / x.rows();
    }

    private static int[] bruteBest(Batch x, int b, Map<String, float[]> p) {
        int[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int[] path : allPaths(x.lengths()[b])) {
            double s = pathScore(x, b, path, p);
            if (s > bestScore) {
                bestScore = s;
                best = path;
            }
        }
        return best;
    }

    private static float nll(Crf crf, Batch x, NDManager m) {
        return crf.negativeLogLikelihood(x.emissionsArray(m), x.tagsArray(m), x.booleanMask(m))
                .getFloat();
    }

    // ---- tests ----

    @Test
    void negativeLogLikelihoodMatchesBruteForce() {
        Random random = new Random(1);
        // {padded length, real length of each row...}
        for (int[] c : new int[][] {{4, 4, 2}, {4, 3, 3}, {4, 1, 4}, {4, 1}, {1, 1, 1}}) {
            int[] lengths = Arrays.copyOfRange(c, 1, c.length);
            Batch x = randomBatch(random, c[0], lengths);
            Map<String, float[]> p = randomValues(random);
            try (NDManager m = manager.newSubManager();
                    Crf crf = new Crf(m, p)) {
                NDArray loss = crf.negativeLogLikelihood(x.emissionsArray(m), x.tagsArray(m), x.booleanMask(m));
                assertEquals(new Shape(), loss.getShape(), "a scalar");
                assertEquals(bruteNll(x, p), loss.getFloat(), 1e-4, Arrays.toString(c));
            }
        }
    }

    @Test
    void integerMaskAndPaddingTagsDoNotChangeTheLoss() {
        Random random = new Random(2);
        Batch x = randomBatch(random, 4, 4, 2);
        Map<String, float[]> p = randomValues(random);
        long[] padded = x.tags().clone();
        padded[6] = -100; // row 1's masked positions, as a caller might pad gold tags
        padded[7] = 2;
        try (NDManager m = manager.newSubManager();
                Crf crf = new Crf(m, p)) {
            float expected = nll(crf, x, m);
            float withIntMask = crf.negativeLogLikelihood(
                            x.emissionsArray(m), m.create(padded, new Shape(2, 4)), x.intMask(m))
                    .getFloat();
            assertEquals(expected, withIntMask, 1e-6);
            // and the mask matters: the full-length loss of the same batch differs
            Batch full = new Batch(x.emissions(), x.tags(), new int[] {4, 4}, 4);
            assertNotEquals(expected, nll(crf, full, m), 1e-3);
        }
    }

    @Test
    void viterbiFindsTheBruteForceBestPath() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            Batch x = randomBatch(random, 4, 4, 1 + random.nextInt(4));
            Map<String, float[]> p = randomValues(random);
            try (NDManager m = manager.newSubManager();
                    Crf crf = new Crf(m, p)) {
                int[][] paths = crf.viterbi(x.emissionsArray(m), x.intMask(m));
                assertEquals(2, paths.length);
                for (int b = 0; b < 2; b++) {
                    assertArrayEquals(bruteBest(x, b, p), paths[b], "trial " + trial + " row " + b);
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesOfTheBruteForceLoss() {
        Random random = new Random(4);
        Batch x = randomBatch(random, 4, 4, 2);
        Map<String, float[]> p = randomValues(random);
        try (NDManager m = manager.newSubManager();
                Crf crf = new Crf(m, p)) {
            NDArray emissions = x.emissionsArray(m);
            emissions.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.zeroGradients();
                gc.backward(crf.negativeLogLikelihood(emissions, x.tagsArray(m), x.booleanMask(m)));
            }
            List<String> names = List.of("transitions", "start", "end");
            for (int k = 0; k < names.size(); k++) {
                float[] grad = crf.parameters().get(k).getGradient().toFloatArray();
                float[] values = p.get(names.get(k));
                for (int i = 0; i < values.length; i++) {
                    double numeric = centralDifference(values, i, 1e-3f, () -> bruteNll(x, p));
                    assertEquals(numeric, grad[i], 1e-4, names.get(k) + "[" + i + "]");
                }
            }
            float[] grad = emissions.getGradient().toFloatArray();
            for (int i = 0; i < x.emissions().length; i++) {
                double numeric = centralDifference(x.emissions(), i, 1e-3f, () -> bruteNll(x, p));
                assertEquals(numeric, grad[i], 1e-4, "emissions[" + i + "]");
            }
            // row 1 has 2 real tokens: its padded positions get no gradient
            for (int i = 2; i < 4; i++) {
                for (int t = 0; t < T; t++) {
                    assertEquals(0, grad[(4 + i) * T + t], "padding emission");
                }
            }
        }
    }

    /** Central difference of the loss in one parameter value, restoring it afterwards. */
    private static double centralDifference(float[] values, int i, float h, DoubleSupplier loss) {
        float saved = values[i];
        values[i] = saved + h;
        double plus = loss.getAsDouble();
        values[i] = saved - h;
        double minus = loss.getAsDouble();
        values[i] = saved;
        // the step actually taken in float, so that rounding of saved ± h does not bias the slope
        return (plus - minus) / ((double) (saved + h) - (double) (saved - h));
    }

    @Test
    void autogradMatchesFiniteDifferencesOfTheEngineLoss() {
        // the same check on the CRF's own float32 loss, hence the coarser step and tolerance
        Random random = new Random(5);
        Batch x = randomBatch(random, 3, 3, 2);
        Map<String, float[]> p = randomValues(random);
        float[] grad;
        try (NDManager m = manager.newSubManager();
                Crf crf = new Crf(m, p)) {
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.zeroGradients();
                gc.backward(crf.negativeLogLikelihood(x.emissionsArray(m), x.tagsArray(m), x.booleanMask(m)));
            }
            grad = crf.parameters().get(0).getGradient().toFloatArray();
        }
        float[] transitions = p.get("transitions");
        for (int i = 0; i < transitions.length; i++) {
            double numeric = centralDifference(transitions, i, 1e-2f, () -> {
                try (NDManager m = manager.newSubManager();
                        Crf crf = new Crf(m, p)) {
                    return nll(crf, x, m);
                }
            });
            assertEquals(numeric, grad[i], 2e-3 + 1e-2 * Math.abs(numeric), "transitions[" + i + "]");
        }
    }

    @Test
    void seededInitialisationIsSmallReproducibleAndTrainable() {
        try (NDManager m = manager.newSubManager();
                Crf a = new Crf(m, 5, 42);
                Crf b = new Crf(m, 5, 42);
                Crf c = new Crf(m, 5, 43)) {
            assertEquals(5, a.numTags());
            Map<String, float[]> va = a.values();
            assertEquals(List.of("transitions", "start", "end"), List.copyOf(va.keySet()));
            assertEquals(25, va.get("transitions").length);
            assertEquals(5, va.get("end").length);
            for (float[] v : va.values()) {
                for (float f : v) {
                    assertTrue(Math.abs(f) <= 0.1f, "within ±0.1: " + f);
                }
            }
            assertArrayEquals(va.get("transitions"), b.values().get("transitions"));
            assertFalse(Arrays.equals(va.get("transitions"), c.values().get("transitions")));
            for (NDArray param : a.parameters()) {
                assertTrue(param.hasGradient());
                assertEquals(DataType.FLOAT32, param.getDataType());
            }
            assertEquals(new Shape(5, 5), a.parameters().get(0).getShape());
        }
    }

    @Test
    void aStepLeavesNoTemporaryOnTheParametersManager() {
        Random random = new Random(8);
        Batch x = randomBatch(random, 4, 4, 2);
        try (NDManager params = manager.newSubManager();
                Crf crf = new Crf(params, T, 9)) {
            int before = params.getManagedArrays().size();
            for (int step = 0; step < 3; step++) {
                try (NDManager scope = manager.newSubManager();
                        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss =
                            crf.negativeLogLikelihood(x.emissionsArray(scope), x.tagsArray(scope), x.intMask(scope));
                    gc.backward(loss);
                    crf.viterbi(x.emissionsArray(scope), x.booleanMask(scope));
                }
            }
            assertEquals(before, params.getManagedArrays().size());
        }
    }

    @Test
    void exportedValuesRebuildTheSameModel() {
        Random random = new Random(6);
        Batch x = randomBatch(random, 4, 4, 3);
        try (NDManager m = manager.newSubManager();
                Crf crf = new Crf(m, T, 7);
                Crf copy = new Crf(m, crf.values())) {
            assertEquals(nll(crf, x, m), nll(copy, x, m), 0);
            Map<String, float[]> broken = new LinkedHashMap<>(crf.values());
            broken.put("end", new float[T + 1]);
            assertThrows(IllegalArgumentException.class, () -> new Crf(m, broken));
            broken.remove("end");
            assertThrows(IllegalArgumentException.class, () -> new Crf(m, broken));
        }
    }
}
