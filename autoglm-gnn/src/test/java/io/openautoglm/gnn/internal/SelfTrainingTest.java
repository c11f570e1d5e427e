package io.openautoglm.gnn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.openautoglm.gnn.Architecture;
import io.openautoglm.gnn.GnnModel;
import io.openautoglm.gnn.GnnTrainer;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.HyperParameters;
import io.openautoglm.gnn.TestGraphs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfTrainingTest {

    /** Three communities of 80 nodes; per class 5 train, 5 val, 10 test, the other 60 unlabelled. */
    private static Graph communities() {
        return TestGraphs.blocks(3, 80, 0.08, 0.005, 11, 10);
    }

    private static final HyperParameters HP =
            HyperParameters.builder().maxEpochs(40).patience(20).build();

    @Test
    void pseudoLabelsOnlyUnlabelledNodesAtMostFiftyPerClass() {
        Graph g = communities();
        try (NDManager root = NDManager.newBaseManager("PyTorch");
                NodeData data = new NodeData(root, g)) {
            NodeTrainer.Result r = NodeTrainer.train(data, Architecture.gcnBaseline(), HP, 1, true, () -> false);
            List<Integer> nodes = new ArrayList<>();
            List<Integer> classes = new ArrayList<>();
            NodeTrainer.pseudoLabel(r.network(), data, nodes, classes);
            assertEquals(nodes.size(), new HashSet<>(nodes).size(), "no node twice");
            int[] perClass = new int[3];
            int correct = 0;
            for (int i = 0; i < nodes.size(); i++) {
                assertEquals(Graph.Split.NONE, g.split(nodes.get(i)), "node " + nodes.get(i) + " has a split");
                perClass[classes.get(i)]++;
                correct += g.label(nodes.get(i)) == classes.get(i) ? 1 : 0;
            }
            for (int c : perClass) {
                assertTrue(
                        c <= HyperParameters.PSEUDO_LABELS_PER_CLASS,
                        "per class " + java.util.Arrays.toString(perClass));
            }
            assertTrue(nodes.size() >= 100, nodes.size() + " pseudo-labels of 180 unlabelled nodes");
            assertTrue(correct > 0.8 * nodes.size(), correct + " of " + nodes.size() + " pseudo-labels right");
            // a second round takes other nodes
            int before = nodes.size();
            NodeTrainer.pseudoLabel(r.network(), data, nodes, classes);
            assertEquals(nodes.size(), new HashSet<>(nodes).size(), "second round repeats a node");
            assertTrue(nodes.size() > before);
            r.manager().close();
        }
    }

    @Test
    void selfTrainedModelTrainsTwiceAndPredicts() {
        Graph g = communities();
        GnnTrainer once = GnnTrainer.builder().hyperParameters(HP).build();
        GnnTrainer twice = GnnTrainer.builder()
                .hyperParameters(HP.toBuilder().selfTraining(1).build())
                .build();
        try (GnnModel a = once.fit(g, 3);
                GnnModel b = twice.fit(g, 3)) {
            assertTrue(b.report().epochs() > a.report().epochs(), a.report() + " / " + b.report());
            assertEquals(g.numNodes(), b.predict().length);
            assertTrue(b.report().test().get("accuracy") > 0.6, b.report().toString());
            assertTrue(b.hyperParameters().describe().contains("self-training=1"));
        }
    }

    @Test
    void withoutUnlabelledNodesSelfTrainingIsOneOrdinaryRun() {
        Graph g = TestGraphs.blocks(3, 30, 0.15, 0.01, 4); // every node in train, val or test
        GnnTrainer once = GnnTrainer.builder().hyperParameters(HP).build();
        GnnTrainer twice = GnnTrainer.builder()
                .hyperParameters(HP.toBuilder().selfTraining(2).build())
                .build();
        try (GnnModel a = once.fit(g, 5);
                GnnModel b = twice.fit(g, 5)) {
            assertEquals(a.report().epochs(), b.report().epochs(), "no round retrains on the same labels");
            assertEquals(a.report().test(), b.report().test());
        }
    }

    @Test
    void linkPredictionRejectsSelfTraining() {
        Graph g = TestGraphs.blocks(2, 20, 0.3, 0.05, 6);
        GnnTrainer t = GnnTrainer.builder()
                .task(io.openautoglm.gnn.GnnTask.LINK_PREDICTION)
                .hyperParameters(HP.toBuilder().selfTraining(1).build())
                .build();
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> t.fit(g, 1));
        assertTrue(e.getMessage().contains("node classification only"), e.getMessage());
    }
}
