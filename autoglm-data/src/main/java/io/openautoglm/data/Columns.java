package io.openautoglm.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which column (CSV, JDBC) or field path (JSONL) feeds each part of a {@link io.openautoglm.core.TextRecord}.
 * Only the text is required. Immutable and thread-safe.
 *
 * <pre>{@code
 * Columns columns = Columns.builder()
 *         .id("id").text("text_a").textB("text_b").label("label")
 *         .metadata("city", "date")
 *         .build();
 * Dataset pairs = DataLoader.fromCsv(Path.of("pairs.csv")).load(columns);
 * }</pre>
 *
 * <p>Names are CSV header names, JDBC column labels (matched ignoring case when there is no exact match),
 * or JSONL field paths, where a dot steps into a nested object ({@code review.body}); a key that itself
 * contains a dot is found first if it exists. A CSV file read without a header names its columns by their
 * 1-based position: {@code "1"}, {@code "2"}, …
 *
 * <p>Every name must exist in the CSV header, the query's columns or the first JSON object of a JSONL file,
 * or {@code load} fails listing those that do. A mapped id, label or entities column must then have a value
 * in every row; a row without one becomes a bad record. A metadata field missing from a later JSONL line is
 * left out of that record's metadata.
 *
 * <p>Rows that are not texts (a graph's node table or edge list) are best read as {@link Row}s with {@link
 * DataLoader#rows(String...)}; {@link #table(String...)} reads them as records instead: the named columns go
 * into the metadata and the text is empty.
 */
public final class Columns {
    private final String id;
    private final String text;
    private final String textB;
    private final String label;
    private final String entities;
    private final List<String> metadata;
    private final boolean allOtherColumnsAsMetadata;

    private Columns(Builder b) {
        this.id = b.id;
        this.text = b.text;
        this.textB = b.textB;
        this.label = b.label;
        this.entities = b.entities;
        this.metadata = List.copyOf(b.metadata);
        this.allOtherColumnsAsMetadata = b.allOtherColumnsAsMetadata;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A mapping for a table whose rows are not texts, such as a graph's node table or edge list: no text,
     * id or label; each named column is copied into the record's metadata under its name, and the record's
     * text is empty. The record's {@linkplain io.openautoglm.core.TextRecord#source() source} still names
     * the file and line (or query and row).
     *
     * <pre>{@code
     * for (TextRecord row : DataLoader.fromCsv(Path.of("edges.csv")).load(Columns.table("src", "dst")).toList()) {
     *     String src = row.metadata().get("src");
     * }
     * }</pre>
     *
     * <p>As with {@link Builder#metadata metadata}, each name must exist or {@code load} fails; a value absent
     * from one row (SQL {@code NULL}, a field missing from a later JSONL line) is left out of that record's
     * metadata, an empty CSV field is kept as {@code ""}, and a JSON object or array comes as its JSON text.
     */
    public static Columns table(String... columns) {
        Builder b = new Builder().metadata(columns);
        if (b.metadata.isEmpty()) {
            throw new IllegalArgumentException("table needs at least one column name");
        }
        return new Columns(b);
    }

    /** Just a text column, optionally with a label column ({@code null} for none). */
    static Columns of(String textColumn, String labelColumn) {
        return builder().text(textColumn).label(labelColumn).build();
    }

    /** The id column, or {@code null}. */
    public String id() {
        return id;
    }

    /** The text column; {@code null} only for a {@linkplain #table(String...) table} mapping. */
    public String text() {
        return text;
    }

    /** The second text of a matching pair, or {@code null}. */
    public String textB() {
        return textB;
    }

    /** The gold label column, or {@code null}. */
    public String label() {
        return label;
    }

    /**
     * The gold entities column, or {@code null}: a JSON array of {@code {start, end, type, mention}} objects
     * (in CSV and JDBC, a cell holding that JSON text).
     */
    public String entities() {
        return entities;
    }

    /** Columns copied into the record's metadata, in this order. */
    public List<String> metadata() {
        return metadata;
    }

    /** Whether every column not mapped otherwise goes into the metadata. */
    public boolean allOtherColumnsAsMetadata() {
        return allOtherColumnsAsMetadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Columns c
                && Objects.equals(id, c.id)
                && Objects.equals(text, c.text)
                && Objects.equals(textB, c.textB)
                && Objects.equals(label, c.label)
                && Objects.equals(entities, c.entities)
                && metadata.equals(c.metadata)
                && allOtherColumnsAsMetadata == c.allOtherColumnsAsMetadata;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, text, textB, label, entities, metadata, allOtherColumnsAsMetadata);
    }

    @Override
    public String toString() {
        if (text == null) {
            return "Columns[table=" + metadata + "]";
        }
        StringBuilder s = new StringBuilder("Columns[");
        if (id != null) {
            s.append("id=").append(id).append(", ");
        }
        s.append("text=").append(text);
        if (textB != null) {
            s.append(", textB=").append(textB);
        }
        if (label != null) {
            s.append(", label=").append(label);
        }
        if (entities != null) {
            s.append(", entities=").append(entities);
        }
        if (!metadata.isEmpty()) {
            s.append(", metadata=").append(metadata);
        }
        if (allOtherColumnsAsMetadata) {
            s.append(", allOtherColumnsAsMetadata");
        }
        return s.append(']').toString();
    }

    /** Builds {@link Columns}; each setter takes a column name, {@code null} to unset. */
    public static final class Builder {
        private String id;
        private String text;
        private String textB;
        private String label;
        private String entities;
        private final List<String> metadata = new ArrayList<>();
        private boolean allOtherColumnsAsMetadata;

        private Builder() {}

        public Builder id(String column) {
            this.id = checked("id", column);
            return this;
        }

        public Builder text(String column) {
            this.text = checked("text", column);
            return this;
        }

        public Builder textB(String column) {
            this.textB = checked("textB", column);
            return this;
        }

        public Builder label(String column) {
            this.label = checked("label", column);
            return this;
        }

        public Builder entities(String column) {
            this.entities = checked("entities", column);
            return this;
        }

        /** Adds columns to copy into each record's metadata. */
        public Builder metadata(String... columns) {
            for (String c : Objects.requireNonNull(columns, "metadata")) {
                if (c == null) {
                    throw new IllegalArgumentException(
                            "metadata column names must not be null, got " + Arrays.toString(columns));
                }
                metadata.add(checked("metadata", c));
            }
            return this;
        }

        /** Puts every column not mapped to another part into the metadata (JSONL: every leaf, by dotted path). */
        public Builder allOtherColumnsAsMetadata() {
            this.allOtherColumnsAsMetadata = true;
            return this;
        }

        public Columns build() {
            if (text == null) {
                throw new IllegalArgumentException("text column must be set, e.g. Columns.builder().text(\"text\")");
            }
            return new Columns(this);
        }

        private static String checked(String field, String column) {
            if (column != null && column.isBlank()) {
                throw new IllegalArgumentException(field + " column name must not be blank, got '" + column + "'");
            }
            return column;
        }
    }
}
