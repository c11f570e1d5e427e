package io.openautoglm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoGnnTest {
    @TempDir
    Path tmp;

    private static SearchSpace small() {
        return SearchSpace.defaults().withEpochs(30, 10);
    }

    @Test
    void shortSeededSearchReturnsAValidArchitecture() throws Exception {
        Graph g = TestGraphs.blocks(3, 20, 0.3, 0.02, 4);
        AutoGnn auto = AutoGnn.builder()
                .budget(TrialBudget.builder()
                        .maxTrials(6)
                        .maxWallTime(Duration.ofMinutes(2))
                        .tuningShare(0.34)
                        .build())
                .searchSpace(small())
                .finalSeeds(2)
                .tuneTopK(2)
                .seed(3)
                .chart(tmp.resolve("search.png"))
                .build();
        try (AutoGnnResult r = auto.fit(g)) {
            assertEquals(6, r.trials().size(), r.trials().toString());
            assertEquals(
                    4,
                    r.trials().stream()
                            .filter(t -> t.phase() == Trial.Phase.SEARCH)
                            .count());
            Architecture best = r.bestArchitecture();
            assertTrue(best.layers() >= 1 && best.layers() <= 3);
            assertEquals(best, Architecture.fromJson(best.toJson()));
            assertTrue(
                    r.leaderboard().get(0).valScore() >= r.leaderboard().get(5).valScore());
            MetricSummary acc = r.testMetric("accuracy");
            assertEquals(2, acc.values().size());
            assertTrue(acc.mean() > 0.5, "planted communities are easy: " + acc);
            int[] pred = r.model().predict();
            assertEquals(60, pred.length);
            assertEquals(60, r.model().predictProbabilities().length);
            assertTrue(Files.size(tmp.resolve("search.png")) > 1000);
            String json = r.toJson();
            assertTrue(json.contains("\"leaderboard\"") && json.contains("\"metaFeatures\""), json);
            // inductive use on a second graph with the same feature width
            Graph other = TestGraphs.blocks(3, 20, 0.3, 0.02, 5);
            assertEquals(60, r.model().predict(other).length);
        }
    }

    @Test
    void tuningScreensTunesAndRacesTheBest() {
        Graph g = TestGraphs.blocks(3, 20, 0.3, 0.02, 4);
        AutoGnn auto = AutoGnn.builder()
                .budget(TrialBudget.builder()
                        .maxTrials(12)
                        .maxWallTime(Duration.ofMinutes(2))
                        .tuningShare(0.5)
                        .build())
                .searchSpace(small().withStarts(List.of(Architecture.gcnBaseline())))
                .finalSeeds(1)
                .tuneTopK(2)
                .seed(5)
                .build();
        try (AutoGnnResult r = auto.fit(g)) {
            List<Trial> t = r.trials();
            assertEquals(12, t.size(), t.toString());
            assertEquals(Architecture.gcnBaseline(), t.get(0).architecture(), "the start is the first trial");
            List<Trial> tune =
                    t.stream().filter(x -> x.phase() == Trial.Phase.TUNE).toList();
            assertEquals(6, tune.size());
            // screen: two architectures at two seeds; tune: samples at two seeds; race: two seeds plus the race's
            assertEquals(2, tune.get(0).seeds());
            assertEquals(2, tune.get(1).seeds());
            int raced = tune.get(tune.size() - 1).seeds();
            assertEquals(2 + AutoGnn.RACE_SEEDS, raced, tune.toString());
            Trial chosen = tune.stream()
                    .filter(x -> x.architecture().equals(r.bestArchitecture())
                            && x.hyperParameters().equals(r.bestHyperParameters()))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertEquals(raced, chosen.seeds(), "the winner is a raced configuration");
            for (Trial x : tune) {
                if (x.seeds() == raced) {
                    assertTrue(chosen.valScore() >= x.valScore(), "winner " + chosen + " against " + x);
                }
            }
        }
    }

    @Test
    void finalRetrainingStopsStartingSeedsAtTheWallTime() {
        Graph g = TestGraphs.blocks(3, 20, 0.3, 0.02, 4);
        AutoGnn auto = AutoGnn.builder()
                .budget(TrialBudget.builder()
                        .maxTrials(1)
                        .maxWallTime(Duration.ofSeconds(2))
                        .tuningShare(0)
                        .build())
                .searchSpace(small().withStarts(List.of(Architecture.gcnBaseline())))
                .finalSeeds(2000) // far more than two seconds hold: about 20 ms each, 40 s in all
                .seed(2)
                .build();
        try (AutoGnnResult r = auto.fit(g)) {
            int trained = r.testMetric("accuracy").values().size();
            assertTrue(trained >= 1 && trained < 2000, "seeds trained: " + trained);
            assertEquals(trained, r.validation().values().size());
            // one seed at most past the deadline (a generous bound: a cold JIT makes the first ones slow)
            assertTrue(r.seconds() < 10, "fit took " + r.seconds() + " s against a budget of 2 s");
        }
    }

    @Test
    void aSearchThatSpendsEveryTrialLeavesNoneForTuning() {
        Graph g = TestGraphs.blocks(2, 15, 0.3, 0.02, 4);
        AutoGnn auto = AutoGnn.builder()
                .budget(TrialBudget.builder()
                        .maxTrials(1)
                        .maxWallTime(Duration.ofMinutes(2))
                        .tuningShare(0.4)
                        .build())
                .searchSpace(SearchSpace.defaults().withEpochs(5, 5).withStarts(List.of(Architecture.gcnBaseline())))
                .finalSeeds(1)
                .seed(1)
                .build();
        try (AutoGnnResult r = auto.fit(g)) {
            assertEquals(1, r.trials().size(), r.trials().toString());
        }
    }

    @Test
    void aChartThatCannotBeWrittenFailsTheFitAndFreesItsModel() throws Exception {
        Graph g = TestGraphs.blocks(2, 15, 0.3, 0.02, 4);
        Path notAFile = Files.createDirectories(tmp.resolve("chart-is-a-folder"));
        AutoGnn auto = AutoGnn.builder()
                .budget(TrialBudget.builder()
                        .maxTrials(1)
                        .maxWallTime(Duration.ofMinutes(2))
                        .tuningShare(0)
                        .build())
                .searchSpace(SearchSpace.defaults().withEpochs(3, 3).withStarts(List.of(Architecture.gcnBaseline())))
                .finalSeeds(1)
                .seed(1)
                .chart(notAFile)
                .build();
        int before = openManagers();
        assertThrows(RuntimeException.class, () -> auto.fit(g));
        assertEquals(before, openManagers(), "native memory left behind by a failed fit");
    }

    /** Managers open under DJL's system manager (each model and each fit's data holds one). */
    private static int openManagers() throws ReflectiveOperationException {
        ai.djl.ndarray.NDManager system;
        try (ai.djl.ndarray.NDManager probe =
                ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager()) {
            system = probe.getParentManager();
        }
        java.lang.reflect.Field f = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        return ((java.util.Map<?, ?>) f.get(system)).size();
    }

    @Test
    void narrowingADerivedSpaceDropsTheStartsOutsideIt() {
        SearchSpace derived = SearchSpace.derivedFrom(
                MetaFeatures.of(TestGraphs.blocks(2, 12, 0.4, 0.05, 3)), GnnTask.NODE_CLASSIFICATION);
        assertTrue(derived.starts().stream().anyMatch(a -> !a.operators().contains(Architecture.Operator.SAGE)));
        SearchSpace sage = derived.withOperators(List.of(Architecture.Operator.SAGE));
        assertTrue(
                sage.starts().stream()
                        .allMatch(a -> a.operators().stream().allMatch(o -> o == Architecture.Operator.SAGE)),
                sage.starts().toString());
        assertTrue(
                sage.rationale().get(sage.rationale().size() - 1).contains("left out"),
                sage.rationale().toString());
        SearchSpace shallow = derived.withPropagation(List.of(0));
        assertTrue(
                shallow.starts().stream().allMatch(a -> a.propagation() == 0),
                shallow.starts().toString());
    }

    @Test
    void aWallTimeTooLongToCountInNanosecondsIsNoLimit() {
        Graph g = TestGraphs.blocks(2, 12, 0.4, 0.05, 3);
        for (Duration forever : List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofNanos(Long.MAX_VALUE))) {
            AutoGnn auto = AutoGnn.builder()
                    .budget(TrialBudget.builder()
                            .maxTrials(1)
                            .maxWallTime(forever)
                            .tuningShare(0)
                            .build())
                    .searchSpace(small().withStarts(List.of(Architecture.gcnBaseline())))
                    .finalSeeds(2)
                    .seed(1)
                    .build();
            try (AutoGnnResult r = auto.fit(g)) {
                assertEquals(2, r.testMetric("accuracy").values().size(), "every final seed trained under " + forever);
            }
        }
    }

    @Test
    void searchIsReproducible() {
        Graph g = TestGraphs.blocks(2, 20, 0.3, 0.05, 8);
        AutoGnn auto = AutoGnn.builder()
                .budget(TrialBudget.builder()
                        .maxTrials(3)
                        .maxWallTime(Duration.ofMinutes(2))
                        .tuningShare(0)
                        .build())
                .searchSpace(small())
                .finalSeeds(1)
                .seed(11)
                .build();
        try (AutoGnnResult a = auto.fit(g);
                AutoGnnResult b = auto.fit(g)) {
            assertEquals(
                    a.trials().stream().map(Trial::architecture).toList(),
                    b.trials().stream().map(Trial::architecture).toList());
            assertEquals(
                    a.trials().stream().map(Trial::valScore).toList(),
                    b.trials().stream().map(Trial::valScore).toList());
            assertEquals(
                    a.testMetric("accuracy").mean(), b.testMetric("accuracy").mean(), 1e-12);
        }
    }

    @Test
    void linkPredictionTrainsAndScores() {
        Graph g = TestGraphs.blocks(3, 20, 0.4, 0.01, 2);
        GnnTrainer t = GnnTrainer.builder()
                .task(GnnTask.LINK_PREDICTION)
                .architecture(Architecture.of(
                        List.of(Architecture.Operator.GCN, Architecture.Operator.GCN),
                        32,
                        1,
                        Architecture.Activation.RELU,
                        false,
                        0.0))
                .hyperParameters(HyperParameters.builder()
                        .weightDecay(0)
                        .maxEpochs(40)
                        .patience(40)
                        .build())
                .linkDecoder(LinkDecoder.MLP)
                .build();
        try (GnnModel m = t.fit(g, 1)) {
            double auc = m.report().test().get("auc");
            assertTrue(auc > 0.6, "AUC on planted communities: " + auc);
            float[] p = m.scoreLinks(new int[] {0, 0}, new int[] {1, 59});
            assertEquals(2, p.length);
            assertTrue(p[0] >= 0 && p[0] <= 1);
            assertEquals(16, m.embeddings()[0].length);
            assertThrows(IllegalStateException.class, m::predict);
        }
    }

    @Test
    void linkPredictionSearch() {
        Graph g = TestGraphs.blocks(3, 20, 0.4, 0.01, 6);
        AutoGnn auto = AutoGnn.builder()
                .task(GnnTask.LINK_PREDICTION)
                .budget(TrialBudget.builder()
                        .maxTrials(3)
                        .maxWallTime(Duration.ofMinutes(2))
                        .tuningShare(0)
                        .build())
                .searchSpace(small().withPropagation(List.of(0)))
                .finalSeeds(2)
                .seed(2)
                .build();
        try (AutoGnnResult r = auto.fit(g)) {
            assertEquals(3, r.trials().size());
            assertEquals(
                    List.of("ap", "auc"),
                    r.testMetrics().stream().map(MetricSummary::name).sorted().toList());
            assertTrue(r.testMetric("auc").mean() > 0.5, r.testMetrics().toString());
            assertEquals(2, r.model().scoreLinks(new int[] {0, 1}, new int[] {2, 3}).length);
        }
    }

    @Test
    void modelRejectsGraphOfOtherWidth() {
        Graph g = TestGraphs.blocks(2, 15, 0.3, 0.05, 8);
        try (GnnModel m = GnnTrainer.builder()
                .hyperParameters(HyperParameters.builder().maxEpochs(5).build())
                .build()
                .fit(g, 1)) {
            Graph narrow = Graph.builder(2)
                    .denseFeatures(new float[][] {{1}, {0}})
                    .edge(0, 1)
                    .build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(narrow));
            assertTrue(e.getMessage().contains("1 features"), e.getMessage());
            assertFalse(m.report().test().isEmpty());
            // GCN 4 -> 16 -> 2 classes: two weight matrices and two biases
            assertEquals(4 * 16 + 16 + 16 * 2 + 2, m.report().parameters());
        }
    }

    @Test
    void linkPredictionSearchRejectsASpaceWithSelfTraining() {
        AutoGnn auto = AutoGnn.builder()
                .task(GnnTask.LINK_PREDICTION)
                .searchSpace(small().withSelfTraining(List.of(0, 1)))
                .build();
        Graph g = TestGraphs.blocks(2, 15, 0.3, 0.05, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> auto.fit(g));
        assertTrue(e.getMessage().contains("node classification only"), e.getMessage());
    }

    @Test
    void linkPredictionSearchRejectsASpaceWithConsistency() {
        AutoGnn auto = AutoGnn.builder()
                .task(GnnTask.LINK_PREDICTION)
                .searchSpace(small().withConsistency(1))
                .build();
        Graph g = TestGraphs.blocks(2, 15, 0.3, 0.05, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> auto.fit(g));
        assertTrue(e.getMessage().contains("withConsistency(0)"), e.getMessage());
    }
}
