package io.openautoglm.gnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.openautoglm.core.testing.JavadocSamples;
import io.openautoglm.data.DataLoader;
import io.openautoglm.gnn.Architecture.Activation;
import io.openautoglm.gnn.Architecture.Operator;
import io.openautoglm.gnn.nn.AdaptivePropagation;
import io.openautoglm.gnn.nn.GATConv;
import io.openautoglm.gnn.nn.GCNConv;
import io.openautoglm.gnn.nn.GraphStructure;
import io.openautoglm.gnn.nn.LinearConv;
import io.openautoglm.gnn.nn.NodeInput;
import io.openautoglm.gnn.nn.SAGEConv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The GNN module's Javadoc samples, compiled here and checked against the Javadoc (see {@link JavadocSamples}).
 * Compiled, not run: most of them need a graph on disk, a database or PyTorch.
 */
class JavadocSamplesTest {
    private static final Path HERE = Path.of("src/test/java/io/openautoglm/gnn/JavadocSamplesTest.java");

    @SuppressWarnings("unused")
    private static void searchSpaceSample() {
        // sample: SearchSpace
        SearchSpace s = SearchSpace.defaults().withOperators(List.of(Operator.GCN, Operator.SAGE));
        // end sample
    }

    @SuppressWarnings("unused")
    private static void hyperParametersSample() {
        // sample: HyperParameters
        HyperParameters hp =
                HyperParameters.builder().learningRate(0.005).weightDecay(5e-4).build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void architectureSample() {
        // sample: Architecture
        Architecture gcn = Architecture.of(List.of(Operator.GCN, Operator.GCN), 16, 1, Activation.RELU, false, 0.5);
        String json = gcn.toJson();
        Architecture back = Architecture.fromJson(json);
        // end sample
    }

    @SuppressWarnings("unused")
    private static void autoGnnSample() {
        // sample: AutoGnn
        Graph cora = Graph.fromDirectory(Path.of("../shared/datasets/graph/cora"));
        AutoGnn auto = AutoGnn.builder()
                .task(GnnTask.NODE_CLASSIFICATION)
                .budget(TrialBudget.builder()
                        .maxTrials(60)
                        .maxWallTime(Duration.ofMinutes(10))
                        .build())
                .seed(7)
                .build();
        try (AutoGnnResult result = auto.fit(cora)) {
            System.out.println(result.bestArchitecture().toJson());
            System.out.println(result.testMetrics());
            int[] classes = result.model().predict();
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void gnnTrainerSample(Graph graph) {
        // sample: GnnTrainer
        GnnTrainer gcn = GnnTrainer.builder()
                .architecture(Architecture.gcnBaseline())
                .hyperParameters(HyperParameters.defaults())
                .build();
        try (GnnModel model = gcn.fit(graph, 42)) {
            System.out.println(model.report().test());
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void metaFeaturesSample(Graph graph) {
        // sample: MetaFeatures
        MetaFeatures m = MetaFeatures.of(graph);
        boolean heterophilous = m.edgeHomophily() < 0.5; // most labelled edges join different classes
        // end sample
    }

    @SuppressWarnings("unused")
    private static void gnnTaskSample(Graph graph) {
        // sample: GnnTask
        AutoGnn.builder().task(GnnTask.LINK_PREDICTION).build().fit(graph);
        // end sample
    }

    @SuppressWarnings("unused")
    private static void autoGnnResultSample(AutoGnn auto, Graph graph) throws Exception {
        // sample: AutoGnnResult
        try (AutoGnnResult r = auto.fit(graph)) {
            r.leaderboard().stream().limit(5).forEach(System.out::println);
            Files.writeString(Path.of("best.json"), r.bestArchitecture().toJson());
            r.writeChart(Path.of("search.png"));
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void graphSample(DataSource dataSource, float[] x1, float[] x2) {
        // sample: Graph
        // 1. the plain folder format of shared/datasets/graph (nodes.csv, features.txt, edges.csv)
        Graph cora = Graph.fromDirectory(Path.of("../shared/datasets/graph/cora"));

        // 2. indices you already have
        Graph g = Graph.builder(3)
                .denseFeatures(new float[][] {{1, 0}, {0, 1}, {1, 1}})
                .labels(new int[] {0, 1, 0})
                .splits(new Graph.Split[] {Graph.Split.TRAIN, Graph.Split.VAL, Graph.Split.TEST})
                .edge(0, 1)
                .edge(1, 2)
                .build();

        // 3. your own node table and edge list, from any autoglm-data source (CSV, JSONL, JDBC)
        Graph h = GraphLoader.builder()
                .nodes(DataLoader.fromCsv(Path.of("users.csv")), "user_id")
                .label("segment")
                .split("split")
                .features("age", "spend")
                .edges(DataLoader.fromJdbc(dataSource, "SELECT a, b FROM follows"), "a", "b")
                .build()
                .load();

        // 4. rows already in memory, keyed by your own ids
        Graph k = Graph.fromEdgeList(
                "crm",
                List.of(new Graph.Node("u1", x1, 0, Graph.Split.TRAIN), new Graph.Node("u2", x2, -1, Graph.Split.NONE)),
                List.of(new Graph.Edge("u1", "u2")));
        // end sample
    }

    @SuppressWarnings("unused")
    private static void gnnModelSample(Graph graph, Graph anotherGraph) {
        // sample: GnnModel
        try (GnnModel model = GnnTrainer.builder()
                .architecture(Architecture.gcnBaseline())
                .build()
                .fit(graph, 42)) {
            int[] classes = model.predict(); // every node of the training graph
            int[] other = model.predict(anotherGraph); // same feature width, any structure
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void graphLoaderSample(DataSource dataSource) {
        // sample: GraphLoader
        GraphLoader loader = GraphLoader.builder()
                .nodes(DataLoader.fromCsv(Path.of("papers.csv")), "paper_id")
                .label("topic") // class names (or integer class indices)
                .split("split") // train, val, test or none
                .features("f0", "f1", "f2") // or .featureVector("embedding") or .sparseFeatures("words")
                .edges(DataLoader.fromJdbc(dataSource, "SELECT citing, cited FROM cites"), "citing", "cited")
                .build();
        Graph graph = loader.load();
        graph.classNames(); // e.g. [ml, nlp, vision]: label i is classNames().get(i)
        // end sample
    }

    @SuppressWarnings("unused")
    private static void linkDecoderSample() {
        // sample: LinkDecoder
        AutoGnn.builder()
                .task(GnnTask.LINK_PREDICTION)
                .linkDecoder(LinkDecoder.MLP)
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void trainingReportSample(GnnTrainer trainer, Graph graph) {
        // sample: TrainingReport
        try (GnnModel model = trainer.fit(graph, 42)) {
            double acc = model.report().test().get("accuracy");
        }
        // end sample
    }

    @SuppressWarnings("unused")
    private static void trialBudgetSample() {
        // sample: TrialBudget
        TrialBudget b = TrialBudget.builder()
                .maxTrials(200)
                .maxWallTime(Duration.ofMinutes(20))
                .build();
        // end sample
    }

    @SuppressWarnings("unused")
    private static void gatConvSample(NDManager manager) {
        // sample: GATConv
        GATConv conv = new GATConv(manager, 1433, 8, 8, true, false, new Random(1)); // 8 heads × 8
        // end sample
    }

    @SuppressWarnings("unused")
    private static void adaptivePropagationSample(NDManager manager, GraphStructure structure, NDArray logits) {
        // sample: AdaptivePropagation
        AdaptivePropagation prop = new AdaptivePropagation(manager, 7, 10, new Random(1));
        NDArray out = prop.forward(structure, logits);
        // end sample
    }

    @SuppressWarnings("unused")
    private static void sageConvSample(NDManager manager) {
        // sample: SAGEConv
        SAGEConv conv = new SAGEConv(manager, 1433, 64, new Random(1));
        // end sample
    }

    @SuppressWarnings("unused")
    private static void gcnConvSample(NDManager manager, GraphStructure structure, Graph graph) {
        // sample: GCNConv
        GCNConv conv = new GCNConv(manager, 1433, 16, false, new Random(1));
        NDArray h = conv.forward(structure, NodeInput.features(manager, graph), 0.5f, true);
        // end sample
    }

    @SuppressWarnings("unused")
    private static void linearConvSample(NDManager manager) {
        // sample: LinearConv
        LinearConv dense = new LinearConv(manager, 1433, 64, new Random(1));
        // end sample
    }

    @Test
    void gnnClassesShowTheCompiledSamples() {
        for (String name : List.of(
                "SearchSpace",
                "HyperParameters",
                "Architecture",
                "AutoGnn",
                "GnnTrainer",
                "MetaFeatures",
                "GnnTask",
                "AutoGnnResult",
                "Graph",
                "GnnModel",
                "GraphLoader",
                "LinkDecoder",
                "TrainingReport",
                "TrialBudget")) {
            JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/gnn/" + name + ".java"), HERE, name);
        }
        for (String name : List.of("GATConv", "AdaptivePropagation", "SAGEConv", "GCNConv", "LinearConv")) {
            JavadocSamples.assertShown(Path.of("src/main/java/io/openautoglm/gnn/nn/" + name + ".java"), HERE, name);
        }
    }
}
