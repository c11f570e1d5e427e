package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
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
