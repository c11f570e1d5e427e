package io.openautoglm.gnn.internal;

import io.openautoglm.data.DataLoader;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.GraphFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the plain folder format of {@code shared/datasets/graph} for {@link Graph#fromDirectory}: the two
 * CSV files through autoglm-data, {@code features.txt} (not CSV: one line of {@code index:value} pairs
 * per node) by a reader of its own. Errors name the file by the path it was given and the line.
 */
public final class FolderReader {
    private FolderReader() {}

    public static Graph read(Path dir, int numFeatures) {
        Path nodesFile = dir.resolve("nodes.csv");
        Path featuresFile = dir.resolve("features.txt");
        Path edgesFile = dir.resolve("edges.csv");
        for (Path p : List.of(nodesFile, featuresFile, edgesFile)) {
            if (!Files.isRegularFile(p)) {
                throw new GraphFormatException(
                        p.toString(), 0, "file is missing; a graph folder needs nodes.csv, features.txt and edges.csv");
            }
        }
        List<Integer> labels = new ArrayList<>();
        List<Graph.Split> splits = new ArrayList<>();
        readNodes(nodesFile, labels, splits);
        int n = labels.size();
        int[][] indices = new int[n][];
        float[][] values = new float[n][];
        int dim = readFeatures(featuresFile, numFeatures, indices, values);
        Path fileName = dir.getFileName();
        Graph.Builder b = Graph.builder(n)
                .name(fileName == null ? dir.toString() : fileName.toString())
                .sparseFeatures(dim, indices, values)
                .labels(labels.stream().mapToInt(Integer::intValue).toArray())
                .splits(splits.toArray(new Graph.Split[0]));
        readEdges(edgesFile, n, b);
        return b.build();
    }

    private static void readNodes(Path file, List<Integer> labels, List<Graph.Split> splits) {
        TableRows rows = TableRows.of(DataLoader.fromCsv(file), file.toString(), "id", "label", "split");
        rows.forEach(row -> {
            int id = integer(row, "id");
            if (id != labels.size()) {
                throw row.error(
                        "node id " + id + " out of order; ids must be 0..N-1 in order, expected " + labels.size());
            }
            int label = integer(row, "label");
            if (label < -1) {
                throw row.error("label " + label + " is invalid; use -1 for unknown");
            }
            String s = row.get("split");
            if (s == null) {
                throw row.error("missing split for node " + id + "; use train, val, test or none");
            }
            Graph.Split split = Splits.parse(s);
            if (split == null) {
                throw row.error("unknown split '" + s + "'; use train, val, test or none");
            }
            if (split != Graph.Split.NONE && label < 0) {
                throw row.error("node " + id + " is in split " + s + " but has label -1");
            }
            labels.add(label);
            splits.add(split);
        });
        if (labels.isEmpty()) {
            throw new GraphFormatException(file.toString(), 0, "no nodes");
        }
        if (!splits.contains(Graph.Split.TRAIN)) {
            throw new GraphFormatException(
                    file.toString(), 0, "no node has split 'train'; a training split is required");
        }
    }

    /** Fills one row per node; returns the feature count. */
    private static int readFeatures(Path file, int declared, int[][] indices, float[][] values) {
        int n = indices.length;
        int maxIndex = -1;
        int row = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                long ln = row + 1L;
                if (row >= n) {
                    if (line.isBlank()) {
                        row++;
                        continue; // tolerate trailing blank lines
                    }
                    throw new GraphFormatException(
                            file.toString(), ln, "more feature lines than the " + n + " nodes in nodes.csv");
                }
                SparseFeatures.Row parsed;
                try {
                    parsed = SparseFeatures.parse(line, declared);
                } catch (IllegalArgumentException e) {
                    throw new GraphFormatException(file.toString(), ln, e.getMessage());
                }
                indices[row] = parsed.indices();
                values[row] = parsed.values();
                maxIndex = Math.max(maxIndex, parsed.maxIndex());
                row++;
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new GraphFormatException(file.toString(), row + 1L, "bytes not valid UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (row < n) {
            throw new GraphFormatException(
                    file.toString(), row + 1L, "only " + row + " feature lines for the " + n + " nodes in nodes.csv");
        }
        return declared > 0 ? declared : Math.max(1, maxIndex + 1);
    }

    private static void readEdges(Path file, int n, Graph.Builder b) {
        try {
            if (Files.size(file) == 0) {
                return; // an empty file: no edges
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        TableRows rows = TableRows.of(DataLoader.fromCsv(file), file.toString(), "src", "dst");
        rows.forEach(row -> {
            int u = integer(row, "src");
            int v = integer(row, "dst");
            if (u < 0 || u >= n) {
                throw row.error("unknown node id " + u + " in src; nodes.csv has ids 0.." + (n - 1));
            }
            if (v < 0 || v >= n) {
                throw row.error("unknown node id " + v + " in dst; nodes.csv has ids 0.." + (n - 1));
            }
            b.edge(u, v);
        });
    }

    private static int integer(TableRows.Row row, String column) {
        String s = row.get(column);
        if (s == null) {
            throw row.error("missing " + column);
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw row.error(column + " '" + s + "' is not an integer");
        }
    }
}
