package io.openautoglm.gnn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void aucAndApByHand() {
        // descending: 0.9 (+), 0.6 (-), 0.4 (+), 0.1 (-): of the four (+,-) pairs three are ordered right
        float[] pos = {0.9f, 0.4f};
        float[] neg = {0.6f, 0.1f};
        assertEquals(0.75, Metrics.auc(pos, neg), 1e-12);
        assertEquals(0.5 * 1 + 0.5 * (2 / 3.0), Metrics.averagePrecision(pos, neg), 1e-12);
    }

    @Test
    void aucWithManyPositivesDoesNotOverflow() {
        int n = 50_000; // a 10 % test split of a graph with 500,000 edges
        float[] pos = new float[n];
        float[] neg = new float[n];
        Arrays.fill(pos, 0.9f);
        Arrays.fill(neg, 0.1f);
        assertEquals(1.0, Metrics.auc(pos, neg), 1e-9);
    }

    @Test
    void aNanScoreRanksLastInsteadOfHanging() {
        float[] pos = {Float.NaN, 0.7f};
        float[] neg = {0.2f};
        // ranked 0.7 (+), 0.2 (-), NaN (+)
        double ap = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Metrics.averagePrecision(pos, neg));
        assertEquals(0.5 * 1 + 0.5 * (2 / 3.0), ap, 1e-12);
        assertEquals(0.5, Metrics.auc(pos, neg), 1e-12);
    }
}
