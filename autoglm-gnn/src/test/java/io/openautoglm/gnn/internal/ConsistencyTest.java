package io.openautoglm.gnn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.openautoglm.gnn.GnnModel;
import io.openautoglm.gnn.GnnTask;
import io.openautoglm.gnn.GnnTrainer;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.TestGraphs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsistencyTest {

    @Test
    void lossMatchesHandComputedValue() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray p1 = m.create(new float[] {0.8f, 0.2f, 0.5f, 0.5f}, new Shape(2, 2));
            NDArray p2 = m.create(new float[] {0.6f, 0.4f, 0.5f, 0.5f}, new Shape(2, 2));
            // node 0: mean (0.7, 0.3), sharpened with T = 0.5: (0.49, 0.09) / 0.58; node 1 stays (0.5, 0.5)
            double t0 = 0.49 / 0.58;
            double t1 = 0.09 / 0.58;
            double node0 = (sq(0.8 - t0) + sq(0.2 - t1) + sq(0.6 - t0) + sq(0.4 - t1)) / 2;
            double expected = (node0 + 0) / 2;
            assertEquals(
                    expected, NodeTrainer.consistencyLoss(List.of(p1, p2), 0.5).getFloat(), 1e-6);
            assertEquals(
                    0f,
                    NodeTrainer.consistencyLoss(List.of(p2, p2), 1.0).getFloat(),
                    1e-7,
                    "passes that agree, unsharpened: nothing to pull");
        }
    }

    @Test
    void targetIsHeldConstant() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray p1 = m.create(new float[] {0.8f, 0.2f}, new Shape(1, 2));
            NDArray p2 = m.create(new float[] {0.6f, 0.4f}, new Shape(1, 2));
            p1.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(NodeTrainer.consistencyLoss(List.of(p1, p2), 0.5));
            }
            // d/dp1 of ((p1 - t)^2 summed) / 2 passes, one node, with t constant: p1 - t
            float[] expected = {(float) (0.8 - 0.49 / 0.58), (float) (0.2 - 0.09 / 0.58)};
            assertArrayEquals(expected, p1.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void makesUnlabelledPredictionsConfidentAndStaysReproducible() {
        // per class 5 train, 5 val, 10 test and 60 nodes in no split
        Graph g = TestGraphs.blocks(3, 80, 0.08, 0.005, 11, 10);
        HyperParameters plain =
                HyperParameters.builder().maxEpochs(60).patience(60).build();
        HyperParameters regularised = plain.toBuilder().consistency(1.0).build();
        try (GnnModel a = GnnTrainer.builder().hyperParameters(plain).build().fit(g, 2);
                GnnModel b = GnnTrainer.builder()
                        .hyperParameters(regularised)
                        .build()
                        .fit(g, 2);
                GnnModel c = GnnTrainer.builder()
                        .hyperParameters(regularised)
                        .build()
                        .fit(g, 2)) {
            double plainConfidence = meanConfidenceOfUnlabelled(a, g);
            double regularisedConfidence = meanConfidenceOfUnlabelled(b, g);
            assertTrue(
                    regularisedConfidence > plainConfidence + 0.02,
                    "mean top probability on unlabelled nodes: " + plainConfidence + " without, "
                            + regularisedConfidence + " with");
            assertTrue(b.report().test().get("accuracy") > 0.6, b.report().toString());
            assertEquals(b.report().test(), c.report().test(), "same seed, same model");
            assertEquals(b.report().valLoss(), c.report().valLoss());
            assertNotEquals(a.report().valLoss(), b.report().valLoss());
            assertTrue(
                    b.hyperParameters().describe().contains("consistency=1"),
                    b.hyperParameters().describe());
        }
    }

    @Test
    void rejectsBadWeightsAndLinkPrediction() {
        assertThrows(
                IllegalArgumentException.class,
                () -> HyperParameters.builder().consistency(-0.5).build());
        Graph g = TestGraphs.blocks(2, 20, 0.3, 0.05, 6);
        GnnTrainer t = GnnTrainer.builder()
                .task(GnnTask.LINK_PREDICTION)
                .hyperParameters(
                        HyperParameters.builder().maxEpochs(5).consistency(1).build())
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(g, 1));
        assertTrue(e.getMessage().contains("node classification only"), e.getMessage());
    }

    private static double meanConfidenceOfUnlabelled(GnnModel m, Graph g) {
        float[][] p = m.predictProbabilities();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < g.numNodes(); i++) {
            if (g.split(i) == Graph.Split.NONE) {
                float best = 0;
                for (float q : p[i]) {
                    best = Math.max(best, q);
                }
                sum += best;
                n++;
            }
        }
        return sum / n;
    }

    private static double sq(double x) {
        return x * x;
    }
}
