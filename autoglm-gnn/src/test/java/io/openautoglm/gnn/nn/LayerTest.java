package io.openautoglm.gnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.openautoglm.gnn.Graph;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LayerTest {
    private static NDManager manager;

    /** Path 0-1-2 plus an edge 2-3 and an isolated node 4; 3 features, some rows sparse. */
    private static Graph tiny() {
        return Graph.builder(5)
                .sparseFeatures(3, new int[][] {{0, 2}, {1}, {0, 1, 2}, {}, {2}}, new float[][] {
                    {1, 2}, {1}, {0.5f, 1, 1}, {}, {3}
                })
                .edge(0, 1)
                .edge(1, 2)
                .edge(2, 3)
                .build();
    }

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void gcnMatrixMatchesHandComputedNormalisation() {
        try (GraphStructure s = GraphStructure.of(manager, tiny())) {
            float[] a = s.gcnMatrix().toDense().toFloatArray();
            // degrees with self loop: 2, 3, 3, 2, 1
            double[] d = {2, 3, 3, 2, 1};
            double[][] expected = new double[5][5];
            int[][] edges = {{0, 1}, {1, 2}, {2, 3}};
            for (int i = 0; i < 5; i++) {
                expected[i][i] = 1 / d[i];
            }
            for (int[] e : edges) {
                expected[e[0]][e[1]] = 1 / Math.sqrt(d[e[0]] * d[e[1]]);
                expected[e[1]][e[0]] = expected[e[0]][e[1]];
            }
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(expected[i][j], a[i * 5 + j], 1e-6, "Â[" + i + "][" + j + "]");
                }
            }
            float[] mean = s.meanMatrix().toDense().toFloatArray();
            assertEquals(0.5, mean[1 * 5 + 0], 1e-6);
            assertEquals(0.5, mean[1 * 5 + 2], 1e-6);
            assertEquals(1.0, mean[0 * 5 + 1], 1e-6);
            assertEquals(0.0, mean[4 * 5 + 4], 1e-6, "isolated node aggregates nothing");
        }
    }

    @Test
    void sparseInputEqualsDenseInput() {
        Graph g = tiny();
        try (NDManager m = manager.newSubManager()) {
            NodeInput sparse = NodeInput.features(m, g);
            float[] dense = new float[5 * 3];
            for (int i = 0; i < 5; i++) {
                final int row = i;
                float[] sum = {0};
                g.forEachFeature(i, (j, v) -> sum[0] += v);
                g.forEachFeature(i, (j, v) -> dense[row * 3 + j] = v / sum[0]);
            }
            NDArray w = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
            float[] a = sparse.project(w, 0f, false).toFloatArray();
            float[] b = NodeInput.dense(m.create(dense, new Shape(5, 3)))
                    .project(w, 0f, false)
                    .toFloatArray();
            assertArrayEquals(b, a, 1e-5f);
        }
    }

    @Test
    void shapes() {
        Graph g = tiny();
        try (NDManager m = manager.newSubManager();
                GraphStructure s = GraphStructure.of(m, g)) {
            NodeInput x = NodeInput.features(m, g);
            Random r = new Random(1);
            assertEquals(
                    new Shape(5, 4),
                    new GCNConv(m, 3, 4, false, r).forward(s, x, 0.5f, true).getShape());
            assertEquals(
                    new Shape(5, 4),
                    new GCNConv(m, 3, 4, true, r).forward(s, x, 0f, false).getShape());
            assertEquals(
                    new Shape(5, 4),
                    new SAGEConv(m, 3, 4, r).forward(s, x, 0.5f, true).getShape());
            assertEquals(
                    new Shape(5, 6),
                    new GATConv(m, 3, 3, 2, true, false, r)
                            .forward(s, x, 0.5f, true)
                            .getShape());
            assertEquals(
                    new Shape(5, 2),
                    new GATConv(m, 3, 3, 2, false, true, r)
                            .forward(s, x, 0f, false)
                            .getShape());
            assertEquals(
                    new Shape(5, 4),
                    new LinearConv(m, 3, 4, r).forward(s, x, 0.5f, true).getShape());
            NDArray h = new LinearConv(m, 3, 4, r).forward(s, x, 0f, false);
            assertEquals(
                    new Shape(5, 4),
                    new AdaptivePropagation(m, 4, 3, r).forward(s, h).getShape());
        }
    }

    @Test
    void adaptivePropagationMixesHopsOfTheGcnMatrix() {
        Graph g = tiny();
        try (NDManager m = manager.newSubManager();
                GraphStructure s = GraphStructure.of(m, g)) {
            AdaptivePropagation prop = new AdaptivePropagation(m, 2, 2, new Random(4));
            // retention weights (1, -1), bias 0.5: node i keeps hop k with σ(h_k[i][0] − h_k[i][1] + 0.5)
            prop.parameters().get(0).set(FloatBuffer.wrap(new float[] {1, -1}));
            prop.parameters().get(1).set(FloatBuffer.wrap(new float[] {0.5f}));
            float[] h0 = {1, 0, 0, 2, 3, 1, -1, 1, 0.5f, 0.5f};
            float[] a = s.gcnMatrix().toDense().toFloatArray();
            double[][] hops = new double[3][];
            hops[0] = new double[10];
            for (int i = 0; i < 10; i++) {
                hops[0][i] = h0[i];
            }
            for (int k = 1; k <= 2; k++) {
                hops[k] = new double[10];
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 5; j++) {
                        for (int c = 0; c < 2; c++) {
                            hops[k][i * 2 + c] += a[i * 5 + j] * hops[k - 1][j * 2 + c];
                        }
                    }
                }
            }
            float[] out = prop.forward(s, m.create(h0, new Shape(5, 2))).toFloatArray();
            for (int i = 0; i < 5; i++) {
                for (int c = 0; c < 2; c++) {
                    double expected = 0;
                    for (double[] hk : hops) {
                        expected += hk[i * 2 + c] / (1 + Math.exp(-(hk[i * 2] - hk[i * 2 + 1] + 0.5)));
                    }
                    assertEquals(expected, out[i * 2 + c], 1e-5, "node " + i + " column " + c);
                }
            }
        }
    }

    @Test
    void gatAttentionIsAConvexCombinationOfNeighbours() {
        // with W = I-like weights and no bias, each output row must lie within the span of neighbour rows
        Graph g = Graph.builder(3)
                .denseFeatures(new float[][] {{1, 0}, {0, 1}, {1, 1}})
                .edge(0, 1)
                .build();
        try (NDManager m = manager.newSubManager();
                GraphStructure s = GraphStructure.of(m, g)) {
            GATConv conv = new GATConv(m, 2, 1, 2, true, false, new Random(3));
            conv.parameters().get(0).set(FloatBuffer.wrap(new float[] {1, 0, 0, 1}));
            float[] out = conv.forward(
                            s, NodeInput.dense(m.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(3, 2))), 0f, false)
                    .toFloatArray();
            // node 2 is isolated: only its self loop, so it keeps its own (projected) features
            assertEquals(1f, out[4], 1e-5);
            assertEquals(1f, out[5], 1e-5);
            // nodes 0 and 1 mix {x0, x1}: coordinates are in [0, 1] and sum to 1
            assertEquals(1f, out[0] + out[1], 1e-5);
            assertEquals(1f, out[2] + out[3], 1e-5);
        }
    }

    @Test
    void gatSoftmaxOfANodeDoesNotDependOnUnconnectedNodes() {
        // logits of opposite sign and size 1e4: shifted by the graph-wide maximum, node 1's only term underflowed to 0
        // and it received no message at all
        float k = 1e4f;
        try (NDManager m = manager.newSubManager();
                GraphStructure two = GraphStructure.of(m, Graph.builder(2).build());
                GraphStructure one = GraphStructure.of(m, Graph.builder(1).build())) {
            GATConv conv = new GATConv(m, 1, 1, 1, true, false, new Random(1));
            float[] both = conv.forward(two, NodeInput.dense(m.create(new float[] {k, -k}, new Shape(2, 1))), 0f, false)
                    .toFloatArray();
            for (int node = 0; node < 2; node++) {
                float x = node == 0 ? k : -k;
                float alone = conv.forward(one, NodeInput.dense(m.create(new float[] {x}, new Shape(1, 1))), 0f, false)
                        .toFloatArray()[0];
                assertEquals(alone, both[node], 1e-3 * Math.abs(alone), "node " + node);
            }
        }
    }

    @Test
    void denseFeaturesAreUsedAsGivenAndSparseNonNegativeOnesRowNormalised() {
        try (NDManager m = manager.newSubManager()) {
            // numeric columns: dividing by the row sum would make x and -x, or (1, 1) and (10, 10), one input
            Graph dense = Graph.builder(3)
                    .denseFeatures(new float[][] {{1, -2}, {-1, 2}, {10, 10}})
                    .build();
            float[] d =
                    NodeInput.features(m, dense).project(m.eye(2), 0f, false).toFloatArray();
            assertArrayEquals(new float[] {1, -2, -1, 2, 10, 10}, d, 1e-6f);
            // bag-of-words rows, one with an explicit zero stored (kept sparse: 3 non-zeros of 20)
            Graph words = Graph.builder(2)
                    .sparseFeatures(10, new int[][] {{0, 5}, {3, 7}}, new float[][] {{2, 0}, {1, 3}})
                    .build();
            float[] w =
                    NodeInput.features(m, words).project(m.eye(10), 0f, false).toFloatArray();
            float[] expected = new float[20];
            expected[0] = 1f;
            expected[13] = 0.25f;
            expected[17] = 0.75f;
            assertArrayEquals(expected, w, 1e-6f);
        }
    }

    @Test
    void gcnGradientsMatchFiniteDifferences() {
        checkGradients(m -> new GCNConv(m, 3, 2, true, new Random(5)));
    }

    @Test
    void sageGradientsMatchFiniteDifferences() {
        checkGradients(m -> new SAGEConv(m, 3, 2, new Random(6)));
    }

    @Test
    void gatGradientsMatchFiniteDifferences() {
        checkGradients(m -> new GATConv(m, 3, 2, 2, true, true, new Random(7)));
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        checkGradients(m -> new LinearConv(m, 3, 2, new Random(8)));
    }

    @Test
    void propagationGradientsMatchFiniteDifferences() {
        checkGradients(m -> new GraphConv(3, 2) {
            private final LinearConv dense = new LinearConv(m, 3, 2, new Random(9));
            private final AdaptivePropagation prop = new AdaptivePropagation(m, 2, 3, new Random(10));

            {
                dense.parameters().forEach(this::register);
                prop.parameters().forEach(this::register);
            }

            @Override
            public NDArray forward(GraphStructure graph, NodeInput x, float dropout, boolean training) {
                return prop.forward(graph, dense.forward(graph, x, dropout, training));
            }
        });
    }

    /** Autograd gradient of sum(out ⊙ R) against central differences, for every parameter entry. */
    private static void checkGradients(Function<NDManager, GraphConv> make) {
        Graph g = tiny();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = manager.newSubManager();
                GraphStructure s = GraphStructure.of(m, g)) {
            NodeInput x = NodeInput.features(m, g);
            GraphConv conv = make.apply(m);
            // non-zero biases so that every path is exercised
            Random r = new Random(11);
            for (NDArray p : conv.parameters()) {
                float[] v = p.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.7);
                }
                p.set(FloatBuffer.wrap(v));
            }
            long outWidth = conv.outDim();
            float[] weights = new float[(int) (5 * outWidth)];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) r.nextGaussian();
            }
            NDArray rw = m.create(weights, new Shape(5, outWidth));
            Function<Void, Double> loss = v -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    return (double) conv.forward(s, x, 0f, false).mul(rw).sum().getFloat();
                }
            };
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(conv.forward(s, x, 0f, true).mul(rw).sum());
            }
            List<NDArray> params = conv.parameters();
            for (int pi = 0; pi < params.size(); pi++) {
                NDArray p = params.get(pi);
                float[] grad = p.getGradient().toFloatArray();
                float[] v = p.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    float orig = v[i];
                    double eps = 1e-2;
                    v[i] = (float) (orig + eps);
                    p.set(FloatBuffer.wrap(v));
                    double up = loss.apply(null);
                    v[i] = (float) (orig - eps);
                    p.set(FloatBuffer.wrap(v));
                    double down = loss.apply(null);
                    v[i] = orig;
                    p.set(FloatBuffer.wrap(v));
                    double numeric = (up - down) / (2 * eps);
                    assertEquals(
                            numeric,
                            grad[i],
                            2e-3 + 2e-2 * Math.abs(numeric),
                            conv.getClass().getSimpleName() + " parameter " + pi + " entry " + i);
                }
            }
        }
    }
}
