package io.openautoglm.gnn;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hand-written folder reader {@code Graph.fromDirectory} used before it read its CSV files through
 * autoglm-data, frozen here (parsing unchanged; it builds through the public builder) so that tests can
 * check the new path gives exactly the same graph. Happy path only: error messages are tested elsewhere.
 */
final class LegacyFolderReader {
    private LegacyFolderReader() {}

    static Graph read(Path dir) throws IOException {
        List<Integer> labels = new ArrayList<>();
        List<Graph.Split> splits = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("nodes.csv"), StandardCharsets.UTF_8)) {
            String[] cols = r.readLine().trim().split(",", -1);
            int idCol = indexOf(cols, "id");
            int labelCol = indexOf(cols, "label");
            int splitCol = indexOf(cols, "split");
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                int id = Integer.parseInt(f[idCol].trim());
                if (id != labels.size()) {
                    throw new IllegalStateException("id out of order: " + id);
                }
                labels.add(Integer.parseInt(f[labelCol].trim()));
                splits.add(Graph.Split.valueOf(f[splitCol].trim().toUpperCase(java.util.Locale.ROOT)));
            }
        }
        int n = labels.size();
        int[][] idx = new int[n][];
        float[][] val = new float[n][];
        int maxIndex = -1;
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("features.txt"), StandardCharsets.UTF_8)) {
            for (int row = 0; row < n; row++) {
                String line = r.readLine();
                String[] tokens = line.isBlank() ? new String[0] : line.trim().split(" +");
                idx[row] = new int[tokens.length];
                val[row] = new float[tokens.length];
                for (int k = 0; k < tokens.length; k++) {
                    int colon = tokens[k].indexOf(':');
                    idx[row][k] = Integer.parseInt(tokens[k].substring(0, colon));
                    val[row][k] = Float.parseFloat(tokens[k].substring(colon + 1));
                    maxIndex = Math.max(maxIndex, idx[row][k]);
                }
            }
        }
        Graph.Builder b = Graph.builder(n)
                .name(dir.getFileName().toString())
                .sparseFeatures(Math.max(1, maxIndex + 1), idx, val)
                .labels(labels.stream().mapToInt(Integer::intValue).toArray())
                .splits(splits.toArray(new Graph.Split[0]));
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("edges.csv"), StandardCharsets.UTF_8)) {
            String[] cols = r.readLine().trim().split(",", -1);
            int s = indexOf(cols, "src");
            int d = indexOf(cols, "dst");
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                b.edge(Integer.parseInt(f[s].trim()), Integer.parseInt(f[d].trim()));
            }
        }
        return b.build();
    }

    /** Fails unless both graphs have the same name, sizes, features, labels, splits and edges. */
    static void assertSameGraph(Graph expected, Graph actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.toString(), actual.toString());
        org.junit.jupiter.api.Assertions.assertEquals(expected.sparseFeatures(), actual.sparseFeatures());
        org.junit.jupiter.api.Assertions.assertEquals(expected.featureNonZeros(), actual.featureNonZeros());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.labels(), actual.labels());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.edgeSources(), actual.edgeSources());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.edgeTargets(), actual.edgeTargets());
        for (int i = 0; i < expected.numNodes(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected.split(i), actual.split(i), "split of node " + i);
            org.junit.jupiter.api.Assertions.assertEquals(
                    features(expected, i), features(actual, i), "features of node " + i);
        }
    }

    /** One node's non-zero features as {@code index:value} text, exact to the float's bits. */
    static String features(Graph g, int node) {
        StringBuilder s = new StringBuilder();
        g.forEachFeature(
                node,
                (j, v) ->
                        s.append(j).append(':').append(Float.floatToIntBits(v)).append(' '));
        return s.toString();
    }

    private static int indexOf(String[] cols, String name) {
        return Arrays.asList(cols).stream().map(String::trim).toList().indexOf(name);
    }
}
