package io.openautoglm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.gnn.Architecture.Operator;
import io.openautoglm.gnn.internal.SearchSpaceRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaFeaturesTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    @Test
    void anExplicitZeroInFeaturesTxtIsAZeroEntry() throws Exception {
        java.nio.file.Path dir = tmp.resolve("g");
        TestGraphs.writeFolder(dir, "id,label,split\n0,0,train\n1,1,train\n", "0:1 1:0\n0:0 1:1\n", "src,dst\n0,1\n");
        Graph g = Graph.fromDirectory(dir);
        // the matrix is [[1, 0], [0, 1]]: half of its entries are zero, whether stored or not
        assertEquals(2, g.featureNonZeros());
        assertEquals(0.5, MetaFeatures.of(g).featureSparsity(), 1e-12);
    }

    /** Triangle 0-1-2, pendant 2-3, isolated 4; labels A A B B A; features 3 of 10 entries non-zero. */
    private static Graph handGraph() {
        Graph.Split[] all = new Graph.Split[5];
        java.util.Arrays.fill(all, Graph.Split.TRAIN);
        return Graph.builder(5)
                .denseFeatures(new float[][] {{1, 0}, {0, 0}, {0, 1}, {0, 0}, {1, 0}})
                .labels(new int[] {0, 0, 1, 1, 0})
                .splits(all)
                .edge(0, 1)
                .edge(1, 2)
                .edge(0, 2)
                .edge(2, 3)
                .build();
    }

    @Test
    void matchesHandComputedValues() {
        MetaFeatures m = MetaFeatures.of(handGraph());
        assertEquals(5, m.nodes());
        assertEquals(4, m.edges());
        assertEquals(0.4, m.density(), 1e-12); // 2·4 / (5·4)
        assertEquals(0, m.degreeMin());
        assertEquals(3, m.degreeMax());
        assertEquals(1.6, m.degreeMean(), 1e-12);
        assertEquals(2.0, m.degreeMedian(), 1e-12);
        assertEquals(Math.sqrt(1.04), m.degreeStd(), 1e-12);
        assertEquals(0.2, m.isolatedShare(), 1e-12);
        // local clustering 1, 1, 1/3, 0, 0
        assertEquals((1 + 1 + 1.0 / 3) / 5, m.clusteringCoefficient(), 1e-12);
        // same-label edges: 0-1 and 2-3 of four
        assertEquals(0.5, m.edgeHomophily(), 1e-12);
        assertEquals(4, m.homophilyEdges());
        assertEquals(0.7, m.featureSparsity(), 1e-12);
        assertEquals(2.0 / 3, m.classBalance(), 1e-12);
        assertEquals(1.0, m.trainShare(), 1e-12);
        assertEquals(0.0, m.unlabelledShare(), 1e-12);
    }

    @Test
    void lowHomophilyFavoursSageAndAttention() {
        MetaFeatures heterophilous =
                new MetaFeatures(1000, 5000, 50, 5, 0.01, 1, 40, 10, 8, 5, 0, 0.1, 0.2, 900, "train", 0.5, 1, 0.5, 0.5);
        SearchSpace s = SearchSpaceRules.derive(heterophilous, GnnTask.NODE_CLASSIFICATION);
        assertTrue(s.operatorPrior().get(Operator.SAGE) > s.operatorPrior().get(Operator.GCN));
        assertTrue(s.operatorPrior().get(Operator.GAT) > s.operatorPrior().get(Operator.GCN));
        assertTrue(
                s.rationale().stream().anyMatch(r -> r.contains("homophily 0.20")),
                s.rationale().toString());
        assertEquals(List.of(0), s.propagation(), "no deep smoothing when neighbours disagree");
        assertFalse(s.starts().contains(Architecture.dagnnBaseline()));
        assertTrue(s.starts().contains(Architecture.gcnBaseline()));

        MetaFeatures large = new MetaFeatures(
                200_000, 4_000_000, 50, 5, 1e-4, 1, 40, 40, 30, 5, 0, 0.1, 0.9, 900, "train", 0.5, 1, 0.5, 0.5);
        SearchSpace l = SearchSpaceRules.derive(large, GnnTask.NODE_CLASSIFICATION);
        assertTrue(!l.operators().contains(Operator.GAT), "attention dropped on huge graphs");
        assertTrue(l.hidden().stream().allMatch(h -> h <= 64));
        assertFalse(l.starts().contains(Architecture.gatBaseline()), "no attention start without attention");
    }

    @Test
    void homophilousGraphWithFewLabelsGetsDeepPropagationAndLossCheckpoints() {
        MetaFeatures citation = new MetaFeatures(
                2708, 5278, 1433, 7, 0.0014, 1, 168, 3.9, 3, 5.2, 0, 0.24, 0.81, 21, "train", 0.99, 1, 0.05, 0.5);
        SearchSpace s = SearchSpace.derivedFrom(citation, GnnTask.NODE_CLASSIFICATION);
        assertTrue(s.propagation().contains(10), s.propagation().toString());
        assertEquals(HyperParameters.Checkpoint.LOWEST_LOSS, s.checkpoint());
        assertEquals(
                List.of(Architecture.gcnBaseline(), Architecture.gatBaseline(), Architecture.dagnnBaseline()),
                s.starts());
        assertEquals(5e-3, s.propagationWeightDecay(), "10 features per label: the usual decoupled decay");
        assertEquals(List.of(0), s.selfTraining(), "self-training is the caller's choice");
        assertEquals(List.of(0, 1), s.withSelfTraining(List.of(0, 1)).selfTraining());
        assertEquals(1.0, s.consistency(), "few labels: the unlabelled nodes train the model through consistency");
        SearchSpace links = SearchSpaceRules.derive(citation, GnnTask.LINK_PREDICTION);
        assertEquals(0.0, links.consistency());
        assertEquals(List.of(0), links.propagation());
        assertEquals(1, links.starts().size());
        SearchSpace searchAlone = s.withStarts(List.of());
        assertEquals(List.of(), searchAlone.starts());
        assertEquals(
                "no starting designs (set by the caller)",
                searchAlone.rationale().get(searchAlone.rationale().size() - 1));
    }

    @Test
    void manyFeaturesPerLabelStartPropagatedModelsWithStrongerDecay() {
        // CiteSeer's shape: 3703 features, 120 train nodes of 3327
        MetaFeatures wide = new MetaFeatures(
                3327, 4552, 3703, 6, 8e-4, 0, 99, 2.7, 2, 3.4, 0.01, 0.14, 0.74, 30, "train", 0.99, 1, 0.036, 0.5);
        SearchSpace s = SearchSpaceRules.derive(wide, GnnTask.NODE_CLASSIFICATION);
        assertEquals(2e-2, s.propagationWeightDecay());
        assertTrue(
                s.starts().contains(Architecture.dagnnBaseline().withDropout(0.5)),
                s.starts().toString());
        assertTrue(
                s.rationale().stream().anyMatch(r -> r.contains("31 feature dimensions per labelled node")),
                s.rationale().toString());
        assertEquals(
                5e-3,
                SearchSpaceRules.derive(wide, GnnTask.LINK_PREDICTION).propagationWeightDecay(),
                "no propagation for links, so nothing to start");
    }
}
