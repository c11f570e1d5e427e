package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class HeadsTest {

    @Test
    void logisticRegressionSeparatesThreeGaussianClassesDeterministically() {
        Random r = new Random(1);
        int n = 600;
        float[][] x = new float[n][5];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 5; j++) {
                // feature 4 lives on a scale 1000 times larger: standardisation must cope with it
                x[i][j] = (float) (r.nextGaussian() + (j == y[i] ? 3 : 0)) * (j == 4 ? 1000 : 1);
            }
        }
        LogisticRegressionHead head = LogisticRegressionHead.trainer().seed(3).train(x, y, 3);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += head.predict(x[i]) == y[i] ? 1 : 0;
            double[] p = head.probabilities(x[i]);
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-9);
        }
        assertTrue(correct > 0.9 * n, "accuracy " + correct / (double) n);
        LogisticRegressionHead again = LogisticRegressionHead.trainer().seed(3).train(x, y, 3);
        assertArrayEquals(head.probabilities(x[7]), again.probabilities(x[7]), 0.0);
        assertEquals(3, head.classes());
        assertEquals(5, head.dimension());
    }

    @Test
    void logisticRegressionRejectsBadInputByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LogisticRegressionHead.trainer().train(new float[][] {{1f}, {2f}}, new int[] {0, 5}, 2));
        assertTrue(e.getMessage().startsWith("y[1]") && e.getMessage().contains("5"), e.getMessage());
        IllegalArgumentException l2 = assertThrows(
                IllegalArgumentException.class,
                () -> LogisticRegressionHead.trainer().l2(-1));
        assertTrue(l2.getMessage().startsWith("l2") && l2.getMessage().contains("-1"), l2.getMessage());
    }

    /**
     * Two classes along feature 0, with noise elsewhere. In the "source" domain feature 1 also separates them, on a
     * tiny scale (0.3 ± 0.05); elsewhere it is noise of unit scale, as wording that only one domain uses.
     */
    private static float[][] twoClasses(Random r, int n, int[] y, boolean source) {
        float[][] x = new float[n][16];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            double sign = y[i] == 1 ? 1 : -1;
            for (int j = 0; j < 16; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            x[i][0] += (float) sign;
            x[i][1] = (float) (source ? 0.3 * sign + 0.05 * r.nextGaussian() : r.nextGaussian());
        }
        return x;
    }

    private static double accuracy(ToIntFunction<float[]> classifier, float[][] x, int[] y) {
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            correct += classifier.applyAsInt(x[i]) == y[i] ? 1 : 0;
        }
        return correct / (double) x.length;
    }

    @Test
    void aPriorKeepsAFewSourceExamplesFromLearningWhatDoesNotTransfer() {
        // the prior knows the right direction (feature 0), as label words do
        float[][] prior = new float[2][16];
        prior[0][0] = -2;
        prior[1][0] = 2;
        int[] yOther = new int[2000];
        float[][] other = twoClasses(new Random(99), 2000, yOther, false);
        double priorAlone = accuracy(v -> v[0] >= 0 ? 1 : 0, other, yOther);
        for (int n : new int[] {4, 8, 16}) {
            double free = 0;
            double held = 0;
            for (int seed = 0; seed < 5; seed++) {
                int[] y = new int[n];
                float[][] x = twoClasses(new Random(seed), n, y, true);
                free += accuracy(LogisticRegressionHead.trainer().train(x, y, 2)::predict, other, yOther) / 5;
                held += accuracy(LogisticRegressionHead.trainer().train(x, y, 2, prior, 1)::predict, other, yOther) / 5;
            }
            // standardised, the tiny feature 1 looks as good as any: the free head leans on it and fails elsewhere
            assertTrue(free < priorAlone - 0.15, n + " examples: free head " + free + ", prior " + priorAlone);
            assertTrue(held > priorAlone - 0.02, n + " examples: held head " + held + ", prior " + priorAlone);
        }
    }

    /**
     * A feature that barely varies but separates the classes perfectly: standardised, it earns a weight on its own
     * scale that unfolds to a huge one on the feature; fitted as given, the weight stays on the scale of the rest.
     */
    @Test
    void withoutStandardisingALowVarianceFeatureGetsNoHugeWeight() {
        Random r = new Random(4);
        float[][] x = new float[200][2];
        int[] y = new int[200];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 2;
            x[i][0] = (float) ((y[i] == 0 ? -1 : 1) * 1e-3 + 2e-4 * r.nextGaussian()); // tiny, separating
            x[i][1] = (float) ((y[i] == 0 ? -0.5 : 0.5) + r.nextGaussian()); // large, overlapping
        }
        LogisticRegressionHead.Linear standardised =
                LogisticRegressionHead.trainer().train(x, y, 2).linear();
        LogisticRegressionHead asGiven =
                LogisticRegressionHead.trainer().standardise(false).train(x, y, 2);
        double folded = Math.abs(standardised.weights()[1][0] - standardised.weights()[0][0]);
        double plain =
                Math.abs(asGiven.linear().weights()[1][0] - asGiven.linear().weights()[0][0]);
        assertTrue(folded > 100, "standardised weight on the tiny feature " + folded);
        assertTrue(plain < 10, "weight on the tiny feature as given " + plain);
        assertLinearFormGivesTheProbabilities(asGiven, x);
    }

    @Test
    void theLinearFormGivesTheHeadsProbabilities() {
        Random r = new Random(12);
        float[][] x = new float[60][5];
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 5; j++) {
                x[i][j] = (float) (r.nextGaussian() * (j + 1) + (j == y[i] ? 2 : 0) + 3);
            }
        }
        assertLinearFormGivesTheProbabilities(LogisticRegressionHead.trainer().train(x, y, 3), x);
    }

    /** {@link LogisticRegressionHead#linear()} on the features as given matches the head's own probabilities. */
    private static void assertLinearFormGivesTheProbabilities(LogisticRegressionHead head, float[][] x) {
        LogisticRegressionHead.Linear linear = head.linear();
        for (float[] v : x) {
            double[] logits = new double[head.classes()];
            for (int k = 0; k < logits.length; k++) {
                logits[k] = linear.bias()[k];
                for (int j = 0; j < v.length; j++) {
                    logits[k] += linear.weights()[k][j] * v[j];
                }
            }
            double[] expected = head.probabilities(v);
            double[] got = LogisticRegressionHead.softmax(logits);
            for (int k = 0; k < logits.length; k++) {
                assertEquals(expected[k], got[k], 1e-9);
            }
        }
    }

    @Test
    void aFewLopsidedExamplesBarelyMoveWhereAHeldHeadDecides() {
        // the prior decides at feature 0 = 0; the two matches sit far beyond it, the two others just short of it, so
        // the examples ask for the boundary to move, which would shift every text of another domain alike
        float[][] prior = new float[2][8];
        prior[0][0] = -2;
        prior[1][0] = 2;
        Random r = new Random(3);
        float[][] x = new float[4][8];
        int[] y = {1, 1, 0, 0};
        for (int i = 0; i < 4; i++) {
            for (int j = 1; j < 8; j++) {
                x[i][j] = (float) (0.1 * r.nextGaussian());
            }
            x[i][0] = y[i] == 1 ? 1.5f : -0.1f;
        }
        LogisticRegressionHead held = LogisticRegressionHead.trainer().train(x, y, 2, prior, 1);
        double[] mean = new double[8];
        for (float[] row : x) {
            for (int j = 0; j < 8; j++) {
                mean[j] += row[j] / 4;
            }
        }
        // where, along feature 0 through the examples' mean, the held head turns from one class to the other
        double low = -1;
        double high = 1;
        for (int step = 0; step < 40; step++) {
            double mid = (low + high) / 2;
            float[] v = new float[8];
            for (int j = 1; j < 8; j++) {
                v[j] = (float) mean[j];
            }
            v[0] = (float) mid;
            if (held.probabilities(v)[1] >= 0.5) {
                high = mid;
            } else {
                low = mid;
            }
        }
        // held as it is, it moves to 0.058 (the weights' own change); with the logit held no harder than the
        // weights it moved to 0.104
        assertTrue(Math.abs(high) < 0.08, "the boundary moved from 0 to " + high);
    }

    @Test
    void withManyExamplesAPriorFadesIntoThePlainHead() {
        // a wrong prior (feature 2 is noise): a few examples stay near it, thousands overrule it
        float[][] wrong = new float[2][16];
        wrong[0][2] = 2;
        wrong[1][2] = -2;
        int[] yEval = new int[2000];
        float[][] eval = twoClasses(new Random(6), 2000, yEval, true);
        double[] agreement = new double[2];
        double maxGap = 0;
        int[] sizes = {8, 4000};
        for (int s = 0; s < sizes.length; s++) {
            int[] y = new int[sizes[s]];
            float[][] x = twoClasses(new Random(5), sizes[s], y, true);
            LogisticRegressionHead free = LogisticRegressionHead.trainer().train(x, y, 2);
            LogisticRegressionHead held = LogisticRegressionHead.trainer().train(x, y, 2, wrong, 1);
            int same = 0;
            for (float[] v : eval) {
                same += free.predict(v) == held.predict(v) ? 1 : 0;
                if (s == 1) {
                    maxGap = Math.max(maxGap, Math.abs(free.probabilities(v)[1] - held.probabilities(v)[1]));
                }
            }
            agreement[s] = same / (double) eval.length;
        }
        assertTrue(agreement[0] < 0.8, "8 examples: the prior still decides, agreement " + agreement[0]);
        assertTrue(agreement[1] > 0.99, "4000 examples: agreement " + agreement[1]);
        assertTrue(maxGap < 0.1, "4000 examples: probabilities within " + maxGap);
    }

    @Test
    void priorStrengthZeroIsThePlainHeadAndAClassWithoutExamplesKeepsItsPrior() {
        Random r = new Random(8);
        float[][] x = new float[40][6];
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 6; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j == y[i] ? 2 : 0));
            }
        }
        float[][] prior = new float[3][6];
        prior[2][2] = 5; // class 2 has no examples: only its prior speaks for it
        LogisticRegressionHead plain = LogisticRegressionHead.trainer().train(x, y, 3);
        LogisticRegressionHead zero = LogisticRegressionHead.trainer().train(x, y, 3, prior, 0);
        for (float[] v : x) {
            assertArrayEquals(plain.probabilities(v), zero.probabilities(v), 0.0);
        }
        LogisticRegressionHead held = LogisticRegressionHead.trainer().train(x, y, 3, prior, 1);
        float[] third = {0, 0, 6, 0, 0, 0};
        assertEquals(2, held.predict(third));
        assertTrue(plain.predict(third) != 2, "without the prior, a class without examples is not predicted");
    }

    @Test
    void aPriorOfTheWrongShapeIsRefusedByName() {
        float[][] x = {{0, 1}, {1, 0}, {2, 0}, {3, 1}};
        int[] y = {0, 0, 1, 1};
        LogisticRegressionHead.Trainer t = LogisticRegressionHead.trainer();
        IllegalArgumentException rows =
                assertThrows(IllegalArgumentException.class, () -> t.train(x, y, 2, new float[3][2], 1));
        assertTrue(rows.getMessage().startsWith("prior:") && rows.getMessage().contains("3"), rows.getMessage());
        IllegalArgumentException width =
                assertThrows(IllegalArgumentException.class, () -> t.train(x, y, 2, new float[][] {{0, 0}, {0}}, 1));
        assertTrue(width.getMessage().startsWith("prior[1]"), width.getMessage());
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class, () -> t.train(x, y, 2, new float[][] {{0, Float.NaN}, {0, 0}}, 1));
        assertTrue(nan.getMessage().startsWith("prior[0][1]"), nan.getMessage());
        IllegalArgumentException strength =
                assertThrows(IllegalArgumentException.class, () -> t.train(x, y, 2, new float[2][2], -1));
        assertTrue(strength.getMessage().startsWith("priorStrength")
                && strength.getMessage().contains("-1"));
    }

    @Test
    void calibratorFindsTheBestCutOnSyntheticScores() {
        Random r = new Random(5);
        int n = 2000;
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            pos[i] = i % 3 == 0;
            s[i] = (pos[i] ? 0.8 : 0.6) + 0.08 * r.nextGaussian();
        }
        ThresholdCalibrator.Calibration acc =
                ThresholdCalibrator.calibrate(s, pos, ThresholdCalibrator.Objective.ACCURACY);
        assertEquals(0.72, acc.threshold(), 0.04);
        assertEquals(n, acc.examples());
        assertEquals(667, acc.positives());
        // brute force over every observed score as a threshold: nothing beats the calibrated cut
        double best = 0;
        for (double t : s) {
            int correct = 0;
            for (int i = 0; i < n; i++) {
                correct += (s[i] >= t) == pos[i] ? 1 : 0;
            }
            best = Math.max(best, correct / (double) n);
        }
        assertEquals(best, acc.accuracy(), 1e-12);
        ThresholdCalibrator.Calibration f1 = ThresholdCalibrator.calibrate(s, pos, ThresholdCalibrator.Objective.F1);
        assertTrue(f1.f1() >= acc.f1());
        assertTrue(f1.threshold() <= acc.threshold(), "F1 favours recall of the minority class here");
    }

    @Test
    void calibratorEdgeCases() {
        ThresholdCalibrator.Calibration allNegative = ThresholdCalibrator.calibrate(
                new double[] {0.5, 0.5}, new boolean[] {false, false}, ThresholdCalibrator.Objective.ACCURACY);
        assertEquals(1.0, allNegative.accuracy());
        assertTrue(allNegative.threshold() > 0.5);
        ThresholdCalibrator.Calibration allPositive = ThresholdCalibrator.calibrate(
                new double[] {0.2, 0.9}, new boolean[] {true, true}, ThresholdCalibrator.Objective.ACCURACY);
        assertEquals(1.0, allPositive.accuracy());
        assertTrue(allPositive.threshold() <= 0.2);
        assertThrows(
                IllegalArgumentException.class,
                () -> ThresholdCalibrator.calibrate(new double[0], new boolean[0], ThresholdCalibrator.Objective.F1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ThresholdCalibrator.Objective.parse("recall"));
        assertTrue(e.getMessage().contains("recall"));
    }

    @Test
    void numbersThatAreNotFiniteAreRefusedNotPassedOnAsNaN() {
        float[][] x = {{0, 1}, {1, 0}, {2, 0}, {3, 1}};
        LogisticRegressionHead head = LogisticRegressionHead.trainer().train(x, new int[] {0, 0, 1, 1}, 2);
        assertThrows(IllegalArgumentException.class, () -> head.probabilities(new float[] {Float.NaN, 0}));
        assertThrows(
                IllegalArgumentException.class, () -> head.probabilities(new float[] {Float.POSITIVE_INFINITY, 0}));
        float[][] poisoned = {{0, 1}, {Float.NaN, 0}, {2, 0}, {3, 1}};
        assertThrows(
                IllegalArgumentException.class,
                () -> LogisticRegressionHead.trainer().train(poisoned, new int[] {0, 0, 1, 1}, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> ThresholdCalibrator.calibrate(
                        new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY},
                        new boolean[] {true, false},
                        ThresholdCalibrator.Objective.ACCURACY));
        // finite but huge: the midpoint between them stays finite and separates them
        ThresholdCalibrator.Calibration c = ThresholdCalibrator.calibrate(
                new double[] {Double.MAX_VALUE, Double.MAX_VALUE / 2},
                new boolean[] {true, false},
                ThresholdCalibrator.Objective.ACCURACY);
        assertTrue(
                Double.isFinite(c.threshold()) && c.threshold() > Double.MAX_VALUE / 2, "threshold " + c.threshold());
    }
}
