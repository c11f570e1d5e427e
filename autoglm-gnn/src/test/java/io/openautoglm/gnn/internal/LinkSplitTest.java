package io.openautoglm.gnn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.TestGraphs;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkSplitTest {

    @Test
    void splitHasNoLeakage() {
        Graph g = TestGraphs.blocks(3, 30, 0.3, 0.02, 1);
        LinkSplit s = LinkSplit.of(g, 42);
        int m = g.numEdges();
        int nVal = (int) Math.floor(0.05 * m);
        int nTest = (int) Math.floor(0.10 * m);
        assertEquals(nVal, s.valPos()[0].length);
        assertEquals(nTest, s.testPos()[0].length);
        assertEquals(m - nVal - nTest, s.trainSrc().length);
        assertEquals(nVal, s.valNeg()[0].length);
        assertEquals(nTest, s.testNeg()[0].length);

        Set<Long> train = new HashSet<>();
        for (int i = 0; i < s.trainSrc().length; i++) {
            train.add(LinkSplit.key(s.trainSrc()[i], s.trainDst()[i]));
        }
        Set<Long> all = new HashSet<>();
        int[] src = g.edgeSources();
        int[] dst = g.edgeTargets();
        for (int i = 0; i < m; i++) {
            all.add(LinkSplit.key(src[i], dst[i]));
        }
        Set<Long> held = new HashSet<>();
        for (int[][] pos : new int[][][] {s.valPos(), s.testPos()}) {
            for (int i = 0; i < pos[0].length; i++) {
                long k = LinkSplit.key(pos[0][i], pos[1][i]);
                assertFalse(train.contains(k), "held-out positive in train edges");
                assertTrue(all.contains(k));
                assertTrue(held.add(k), "val and test positives overlap");
            }
        }
        Set<Long> negs = new HashSet<>();
        for (int[][] neg : new int[][][] {s.valNeg(), s.testNeg()}) {
            for (int i = 0; i < neg[0].length; i++) {
                assertNotEquals(neg[0][i], neg[1][i], "self pair");
                long k = LinkSplit.key(neg[0][i], neg[1][i]);
                assertFalse(all.contains(k), "negative is an edge");
                assertTrue(negs.add(k), "negatives repeat");
            }
        }
        // the union of train and held-out positives is exactly the edge set
        Set<Long> union = new HashSet<>(train);
        union.addAll(held);
        assertEquals(all, union);
    }

    @Test
    void splitIsSeeded() {
        Graph g = TestGraphs.blocks(2, 30, 0.3, 0.02, 1);
        assertTrue(
                Arrays.equals(LinkSplit.of(g, 5).trainSrc(), LinkSplit.of(g, 5).trainSrc()));
        assertFalse(
                Arrays.equals(LinkSplit.of(g, 5).valPos()[0], LinkSplit.of(g, 6).valPos()[0]));
    }

    @Test
    void rankingMetrics() {
        assertEquals(1.0, Metrics.auc(new float[] {0.9f, 0.8f}, new float[] {0.1f, 0.2f}), 1e-12);
        assertEquals(0.0, Metrics.auc(new float[] {0.1f}, new float[] {0.9f}), 1e-12);
        assertEquals(0.5, Metrics.auc(new float[] {0.5f}, new float[] {0.5f}), 1e-12);
        // pos 0.9, neg 0.8, pos 0.7: precision at the positives 1 and 2/3 → AP = (1 + 2/3) / 2
        assertEquals(0.75, Metrics.auc(new float[] {0.9f, 0.7f}, new float[] {0.8f, 0.1f}), 1e-12);
        assertEquals((1 + 2.0 / 3) / 2, Metrics.averagePrecision(new float[] {0.9f, 0.7f}, new float[] {0.8f}), 1e-12);
    }
}
