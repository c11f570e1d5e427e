package io.openautoglm.gnn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/** Small graphs for tests. */
public final class TestGraphs {
    private TestGraphs() {}

    /**
     * A seeded stochastic block model: {@code classes} communities of {@code perClass} nodes, edges
     * inside a community with probability {@code pIn}, across with {@code pOut}; noisy one-hot-ish
     * features of width {@code 2 * classes}. Split: 5 train, 5 val, rest test per class.
     */
    public static Graph blocks(int classes, int perClass, double pIn, double pOut, long seed) {
        return blocks(classes, perClass, pIn, pOut, seed, perClass - 10);
    }

    /** As {@link #blocks(int, int, double, double, long)} with {@code testPerClass} test nodes per class, the rest in no split. */
    public static Graph blocks(int classes, int perClass, double pIn, double pOut, long seed, int testPerClass) {
        Random rnd = new Random(seed);
        int n = classes * perClass;
        Graph.Builder b = Graph.builder(n).name("sbm");
        int[] labels = new int[n];
        Graph.Split[] splits = new Graph.Split[n];
        float[][] x = new float[n][2 * classes];
        for (int i = 0; i < n; i++) {
            labels[i] = i / perClass;
            int k = i % perClass;
            splits[i] = k < 5
                    ? Graph.Split.TRAIN
                    : k < 10 ? Graph.Split.VAL : k < 10 + testPerClass ? Graph.Split.TEST : Graph.Split.NONE;
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = rnd.nextDouble() < 0.3 ? 1f : 0f;
            }
            if (rnd.nextDouble() < 0.6) {
                x[i][labels[i]] = 1f;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double p = labels[i] == labels[j] ? pIn : pOut;
                if (rnd.nextDouble() < p) {
                    b.edge(i, j);
                }
            }
        }
        return b.denseFeatures(x).labels(labels).splits(splits).build();
    }

    /** Writes the three plain files into {@code dir}. */
    public static void writeFolder(Path dir, String nodes, String features, String edges) throws java.io.IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("nodes.csv"), nodes);
        Files.writeString(dir.resolve("features.txt"), features);
        Files.writeString(dir.resolve("edges.csv"), edges);
    }

    /** The shared dataset folder; the calling test is skipped, with the path it looked at, when it is not there. */
    public static Path requireSharedDataset(String name) {
        Path p = Path.of(System.getProperty("shared.dir", "../../shared"), "datasets", "graph", name);
        Assumptions.assumeTrue(
                Files.isDirectory(p),
                () -> "shared dataset not present: "
                        + p.toAbsolutePath().normalize()
                        + " (put the shared folder beside the repository, or pass -Dshared.dir=<folder>)");
        return p;
    }
}
