package io.openautoglm.gnn;

import io.openautoglm.data.DataLoader;
import io.openautoglm.gnn.internal.TableGraphReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link Graph} from your own node table and edge list, each read through any autoglm-data
 * source: a CSV file, a JSON Lines file or a SQL query.
 *
 * <pre>{@code
 * GraphLoader loader = GraphLoader.builder()
 *     .nodes(DataLoader.fromCsv(Path.of("papers.csv")), "paper_id")
 *     .label("topic")                        // class names (or integer class indices)
 *     .split("split")                        // train, val, test or none
 *     .features("f0", "f1", "f2")            // or .featureVector("embedding") or .sparseFeatures("words")
 *     .edges(DataLoader.fromJdbc(dataSource, "SELECT citing, cited FROM cites"), "citing", "cited")
 *     .build();
 * Graph graph = loader.load();
 * graph.classNames();                        // e.g. [ml, nlp, vision]: label i is classNames().get(i)
 * }</pre>
 *
 * <p><b>Nodes.</b> One row per node, in table order (node {@code i} of the graph is the {@code i}-th row).
 * Ids are compared as text, trimmed: the edge list must write them the same way. Optional columns:
 *
 * <ul>
 *   <li>{@code label}: empty (or SQL {@code NULL}) means unknown. When every label is an integer the
 *       labels are class indices ({@code -1} also unknown); otherwise they are class names, numbered in
 *       sorted order, so that the numbering does not depend on row order. {@link Builder#classes} fixes
 *       the names and their order instead (use it to number the classes of a later graph the same way).
 *   <li>{@code split}: {@code train}, {@code val}, {@code test} or {@code none} (any case) in every row; a
 *       node in train, val or test needs a label. Without a split column every node is in {@link
 *       Graph.Split#NONE} (link prediction needs no split).
 *   <li>features, one of: numeric columns ({@link Builder#features}, dense); one column holding the whole
 *       vector as numbers separated by commas or spaces, or a JSON array ({@link Builder#featureVector},
 *       dense); one column of {@code index:value} pairs as in {@code features.txt} ({@link
 *       Builder#sparseFeatures}, sparse, empty for an all-zero row). Without any, each node gets one
 *       constant feature.
 * </ul>
 *
 * <p><b>Edges.</b> One row per undirected edge between two node ids; duplicates and self loops are
 * dropped.
 *
 * <p><b>Bad input</b> fails with a {@link GraphFormatException}, an {@link io.openautoglm.core.DataException}
 * like every loader's, naming the file and line (a query: its start and the row) and what was wrong: a
 * missing column, a missing or duplicate node id, an edge naming an unknown node id, a missing or unknown
 * split, a feature that is not a number, a feature index out of range, a vector of the wrong length, a label
 * not among {@link Builder#classes}. Errors autoglm-data finds (a row with too few fields, bytes not valid in
 * the charset) come the same way. Configure the sources (charset, delimiter, fetch size) on their {@link
 * DataLoader}s; a {@link io.openautoglm.core.ErrorMode#COLLECT} loader still stops at the first bad row,
 * since a graph cannot leave a node or edge out.
 *
 * <p>Immutable and thread-safe; each {@link #load()} reads both sources anew.
 */
public final class GraphLoader {
    private final TableGraphReader.Spec spec;

    private GraphLoader(TableGraphReader.Spec spec) {
        this.spec = spec;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the node table, then the edge list, and builds the graph. Both sources' columns are checked
     * before any row is read.
     *
     * @throws GraphFormatException naming the file and line (or query and row) of bad input
     */
    public Graph load() {
        return TableGraphReader.read(spec);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("GraphLoader[nodes=")
                .append(spec.nodes())
                .append(", id=")
                .append(spec.id());
        if (spec.label() != null) {
            s.append(", label=").append(spec.label());
        }
        if (!spec.classes().isEmpty()) {
            s.append(", classes=").append(spec.classes());
        }
        if (spec.split() != null) {
            s.append(", split=").append(spec.split());
        }
        if (!spec.featureColumns().isEmpty()) {
            s.append(", features=").append(spec.featureColumns());
        }
        if (spec.featureVector() != null) {
            s.append(", featureVector=").append(spec.featureVector());
        }
        if (spec.sparseFeatures() != null) {
            s.append(", sparseFeatures=").append(spec.sparseFeatures());
        }
        if (spec.numFeatures() > 0) {
            s.append(", numFeatures=").append(spec.numFeatures());
        }
        s.append(", edges=")
                .append(spec.edges())
                .append(", source=")
                .append(spec.source())
                .append(", target=")
                .append(spec.target());
        if (spec.name() != null) {
            s.append(", name=").append(spec.name());
        }
        return s.append(']').toString();
    }

    /** Collects the sources and column names; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private DataLoader nodes;
        private String id;
        private String label;
        private List<String> classes = List.of();
        private String split;
        private List<String> featureColumns = List.of();
        private String featureVector;
        private String sparseFeatures;
        private int numFeatures = -1;
        private DataLoader edges;
        private String source;
        private String target;
        private String name;

        private Builder() {}

        /** The node table, one row per node, and the column holding each node's unique id. Required. */
        public Builder nodes(DataLoader nodes, String idColumn) {
            this.nodes = Objects.requireNonNull(nodes, "nodes");
            this.id = column("idColumn", idColumn);
            return this;
        }

        /** The edge list and its two endpoint columns, holding node ids. Required. */
        public Builder edges(DataLoader edges, String sourceColumn, String targetColumn) {
            this.edges = Objects.requireNonNull(edges, "edges");
            this.source = column("sourceColumn", sourceColumn);
            this.target = column("targetColumn", targetColumn);
            return this;
        }

        /** The node table's label column: class names or integer class indices; empty for unknown. */
        public Builder label(String column) {
            this.label = column("label", column);
            return this;
        }

        /**
         * The class names in label order, instead of numbering the names found in sorted order; a label
         * outside them is an error. Needs {@link #label}.
         */
        public Builder classes(String... names) {
            List<String> copy = List.of(names);
            if (copy.isEmpty()
                    || copy.stream().anyMatch(String::isBlank)
                    || Set.copyOf(copy).size() != copy.size()) {
                throw new IllegalArgumentException(
                        "classes must be distinct, non-blank names, at least one, got " + Arrays.toString(names));
            }
            this.classes = copy;
            return this;
        }

        /** The node table's split column: {@code train}, {@code val}, {@code test} or {@code none}. */
        public Builder split(String column) {
            this.split = column("split", column);
            return this;
        }

        /** Dense features, one numeric column each, in this order. */
        public Builder features(String... columns) {
            List<String> copy = new ArrayList<>();
            for (String c : Objects.requireNonNull(columns, "features")) {
                copy.add(column("features", c));
            }
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("features needs at least one column name");
            }
            this.featureColumns = List.copyOf(copy);
            return this;
        }

        /**
         * Dense features from one column holding the whole vector: numbers separated by commas, semicolons
         * or white space, optionally in brackets (a JSON array, as in JSONL). Every row the same length.
         */
        public Builder featureVector(String column) {
            this.featureVector = column("featureVector", column);
            return this;
        }

        /**
         * Sparse features from one column of space-separated {@code index:value} pairs, 0-based increasing
         * indices (the format of {@code features.txt}); empty for an all-zero row. The feature count is the
         * largest index plus one unless {@link #numFeatures} declares it.
         */
        public Builder sparseFeatures(String column) {
            this.sparseFeatures = column("sparseFeatures", column);
            return this;
        }

        /**
         * The declared feature count: a sparse index at or beyond it, or a vector of another length, is an
         * error. Use it to load a graph for a model trained on that many inputs.
         */
        public Builder numFeatures(int numFeatures) {
            if (numFeatures <= 0) {
                throw new IllegalArgumentException("numFeatures must be > 0, was " + numFeatures);
            }
            this.numFeatures = numFeatures;
            return this;
        }

        /** The graph's name in logs and provenance; default the node table's name. */
        public Builder name(String name) {
            this.name = column("name", name);
            return this;
        }

        /**
         * @throws IllegalStateException when the node table or edge list is missing, more than one kind of
         *     features is set, or {@code classes} is set without a label column
         * @throws IllegalArgumentException when {@code numFeatures} contradicts the feature columns
         */
        public GraphLoader build() {
            if (nodes == null) {
                throw new IllegalStateException("the node table is not set: call nodes(DataLoader, idColumn)");
            }
            if (edges == null) {
                throw new IllegalStateException(
                        "the edge list is not set: call edges(DataLoader, sourceColumn, targetColumn)");
            }
            int kinds = (featureColumns.isEmpty() ? 0 : 1)
                    + (featureVector == null ? 0 : 1)
                    + (sparseFeatures == null ? 0 : 1);
            if (kinds > 1) {
                throw new IllegalStateException(
                        "set one of features(...), featureVector(...) or sparseFeatures(...), got "
                                + (featureColumns.isEmpty() ? "" : "features=" + featureColumns + " ")
                                + (featureVector == null ? "" : "featureVector=" + featureVector + " ")
                                + (sparseFeatures == null ? "" : "sparseFeatures=" + sparseFeatures));
            }
            if (!classes.isEmpty() && label == null) {
                throw new IllegalStateException(
                        "classes " + classes + " are set but no label column: call label(column)");
            }
            if (numFeatures > 0 && !featureColumns.isEmpty() && numFeatures != featureColumns.size()) {
                throw new IllegalArgumentException("numFeatures is " + numFeatures + " but " + featureColumns.size()
                        + " feature columns are named: " + featureColumns);
            }
            return new GraphLoader(new TableGraphReader.Spec(
                    nodes,
                    id,
                    label,
                    classes,
                    split,
                    featureColumns,
                    featureVector,
                    sparseFeatures,
                    numFeatures,
                    edges,
                    source,
                    target,
                    name));
        }

        private static String column(String field, String column) {
            Objects.requireNonNull(column, field);
            if (column.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank, got '" + column + "'");
            }
            return column;
        }
    }
}
