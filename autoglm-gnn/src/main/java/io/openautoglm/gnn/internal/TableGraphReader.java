package io.openautoglm.gnn.internal;

import io.openautoglm.data.DataLoader;
import io.openautoglm.gnn.Graph;
import io.openautoglm.gnn.GraphFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds a {@link Graph} from a node table and an edge list read through autoglm-data, for {@link
 * io.openautoglm.gnn.GraphLoader}. Each call reads both sources anew. Stateless.
 */
public final class TableGraphReader {
    private static final Pattern VECTOR_SEPARATOR = Pattern.compile("[\\s,;]+");

    /**
     * What to read; column names as autoglm-data matches them. {@code label}, {@code split}, {@code
     * featureVector}, {@code sparseFeatures} and {@code name} may be {@code null}, {@code classes} and
     * {@code featureColumns} empty, {@code numFeatures} -1 when not declared.
     */
    public record Spec(
            DataLoader nodes,
            String id,
            String label,
            List<String> classes,
            String split,
            List<String> featureColumns,
            String featureVector,
            String sparseFeatures,
            int numFeatures,
            DataLoader edges,
            String source,
            String target,
            String name) {}

    private TableGraphReader() {}

    public static Graph read(Spec spec) {
        Set<String> columns = new LinkedHashSet<>();
        columns.add(spec.id());
        for (String c : new String[] {spec.label(), spec.split(), spec.featureVector(), spec.sparseFeatures()}) {
            if (c != null) {
                columns.add(c);
            }
        }
        columns.addAll(spec.featureColumns());
        TableRows nodeRows = TableRows.of(spec.nodes(), null, columns.toArray(new String[0]));
        // the edge list's columns are checked before any row is read
        TableRows edgeRows = TableRows.of(spec.edges(), null, spec.source(), spec.target());
        Nodes nodes = new Nodes(spec, nodeRows.name());
        nodeRows.forEach(nodes::add);
        int n = nodes.ids.size();
        if (n == 0) {
            throw new GraphFormatException(nodeRows.name(), 0, "the node table has no rows");
        }
        Graph.Builder b = Graph.builder(n).name(spec.name() != null ? spec.name() : nodeRows.name());
        nodes.features(b);
        nodes.labels(b);
        edgeRows.forEach(row -> {
            int s = nodes.indexOf(row, spec.source(), "source");
            int t = nodes.indexOf(row, spec.target(), "target");
            b.edge(s, t);
        });
        return b.build();
    }

    /** The node table as read so far. */
    private static final class Nodes {
        private final Spec spec;
        private final String sourceName;
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> ids = new ArrayList<>();
        private final List<Long> lines = new ArrayList<>();
        private final List<String> rawLabels = new ArrayList<>();
        private final List<Graph.Split> splits = new ArrayList<>();
        private final List<float[]> dense = new ArrayList<>();
        private final List<int[]> sparseIndices = new ArrayList<>();
        private final List<float[]> sparseValues = new ArrayList<>();
        private int maxIndex = -1;
        private long widthLine; // where the first dense vector set the width

        Nodes(Spec spec, String sourceName) {
            this.spec = spec;
            this.sourceName = sourceName;
        }

        void add(TableRows.Row row) {
            String id = row.get(spec.id());
            if (id == null) {
                throw row.error("missing node id in column '" + spec.id() + "'");
            }
            Integer first = index.putIfAbsent(id, ids.size());
            if (first != null) {
                throw row.error(
                        "duplicate node id '" + id + "' (first at " + sourceName + ":" + lines.get(first) + ")");
            }
            ids.add(id);
            lines.add(row.line());
            rawLabels.add(spec.label() == null ? null : row.get(spec.label()));
            splits.add(split(row, id));
            if (!spec.featureColumns().isEmpty()) {
                dense.add(featureColumns(row, id));
            } else if (spec.featureVector() != null) {
                dense.add(featureVector(row, id));
            } else if (spec.sparseFeatures() != null) {
                sparse(row, id);
            }
        }

        private Graph.Split split(TableRows.Row row, String id) {
            if (spec.split() == null) {
                return Graph.Split.NONE;
            }
            String s = row.get(spec.split());
            if (s == null) {
                throw row.error("missing split for node '" + id + "' in column '" + spec.split()
                        + "'; use train, val, test or none");
            }
            Graph.Split split = Splits.parse(s);
            if (split == null) {
                throw row.error("unknown split '" + s + "' for node '" + id + "'; use train, val, test or none");
            }
            return split;
        }

        private float[] featureColumns(TableRows.Row row, String id) {
            List<String> cols = spec.featureColumns();
            float[] x = new float[cols.size()];
            for (int j = 0; j < x.length; j++) {
                String v = row.get(cols.get(j));
                if (v == null) {
                    throw row.error("missing value in feature column '" + cols.get(j) + "' for node '" + id + "'");
                }
                x[j] = number(row, v, "feature column '" + cols.get(j) + "' of node '" + id + "'");
            }
            return x;
        }

        private float[] featureVector(TableRows.Row row, String id) {
            String column = spec.featureVector();
            String v = row.get(column);
            String what = "feature vector of node '" + id + "' in column '" + column + "'";
            if (v == null) {
                throw row.error("missing " + what);
            }
            if (v.startsWith("[") && v.endsWith("]")) {
                v = v.substring(1, v.length() - 1).strip(); // a JSON array
            }
            String[] tokens = v.isEmpty() ? new String[0] : VECTOR_SEPARATOR.split(v);
            float[] x = new float[tokens.length];
            for (int j = 0; j < x.length; j++) {
                x[j] = number(row, tokens[j], what);
            }
            int expected = spec.numFeatures() > 0 ? spec.numFeatures() : dense.isEmpty() ? -1 : dense.get(0).length;
            if (expected < 0) {
                if (x.length == 0) {
                    throw row.error("empty " + what);
                }
                widthLine = row.line();
            } else if (x.length != expected) {
                throw row.error(what + " has " + x.length + " values, expected " + expected
                        + (spec.numFeatures() > 0
                                ? " (numFeatures)"
                                : " (as at " + sourceName + ":" + widthLine + ")"));
            }
            return x;
        }

        private void sparse(TableRows.Row row, String id) {
            String v = row.get(spec.sparseFeatures());
            SparseFeatures.Row parsed;
            try {
                parsed = SparseFeatures.parse(v == null ? "" : v, spec.numFeatures());
            } catch (IllegalArgumentException e) {
                throw row.error("sparse features of node '" + id + "' in column '" + spec.sparseFeatures() + "': "
                        + e.getMessage());
            }
            sparseIndices.add(parsed.indices());
            sparseValues.add(parsed.values());
            maxIndex = Math.max(maxIndex, parsed.maxIndex());
        }

        private static float number(TableRows.Row row, String text, String what) {
            float f;
            try {
                f = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw row.error(what + ": '" + text + "' is not a number");
            }
            if (!Float.isFinite(f)) {
                throw row.error(what + ": '" + text + "' is not finite");
            }
            return f;
        }

        void features(Graph.Builder b) {
            if (!dense.isEmpty()) {
                b.denseFeatures(dense.toArray(new float[0][]));
            } else if (spec.sparseFeatures() != null) {
                int dim = spec.numFeatures() > 0 ? spec.numFeatures() : Math.max(1, maxIndex + 1);
                b.sparseFeatures(dim, sparseIndices.toArray(new int[0][]), sparseValues.toArray(new float[0][]));
            }
        }

        /** Labels as indices: the given classes, integers, or class names in sorted order. */
        void labels(Graph.Builder b) {
            int n = ids.size();
            int[] labels = new int[n];
            List<String> names = null;
            if (!spec.classes().isEmpty()) {
                names = spec.classes();
            } else if (!allIntegers()) {
                names = List.copyOf(
                        new TreeSet<>(rawLabels.stream().filter(l -> l != null).toList()));
            }
            Map<String, Integer> classIndex = new HashMap<>();
            if (names != null) {
                for (int c = 0; c < names.size(); c++) {
                    classIndex.put(names.get(c), c);
                }
            }
            for (int i = 0; i < n; i++) {
                String raw = rawLabels.get(i);
                if (raw == null) {
                    labels[i] = -1;
                } else if (names != null) {
                    Integer c = classIndex.get(raw);
                    if (c == null) {
                        throw error(
                                i,
                                "label '" + raw + "' of node '" + ids.get(i) + "' is not one of the classes " + names);
                    }
                    labels[i] = c;
                } else {
                    labels[i] = Integer.parseInt(raw);
                    if (labels[i] < -1) {
                        throw error(
                                i,
                                "label " + raw + " of node '" + ids.get(i) + "' is invalid; use -1 or leave it empty"
                                        + " for unknown");
                    }
                }
                if (splits.get(i) != Graph.Split.NONE && labels[i] < 0) {
                    throw error(
                            i,
                            "node '" + ids.get(i) + "' is in split "
                                    + splits.get(i).name().toLowerCase(java.util.Locale.ROOT) + " but has no label");
                }
            }
            b.labels(labels).splits(splits.toArray(new Graph.Split[0]));
            if (names != null && !names.isEmpty()) {
                b.classNames(names);
            }
        }

        private boolean allIntegers() {
            for (String l : rawLabels) {
                if (l != null) {
                    try {
                        Integer.parseInt(l);
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }

        private GraphFormatException error(int node, String message) {
            return new GraphFormatException(sourceName, lines.get(node), message);
        }

        int indexOf(TableRows.Row row, String column, String end) {
            String id = row.get(column);
            if (id == null) {
                throw row.error("missing " + end + " node id in column '" + column + "'");
            }
            Integer i = index.get(id);
            if (i == null) {
                throw row.error(
                        "unknown node id '" + id + "' in column '" + column + "': not in the node table " + sourceName);
            }
            return i;
        }
    }
}
