package io.openautoglm.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One input record: the text (and, for matching, a second text), an optional id, an optional gold
 * answer and free metadata. Immutable.
 *
 * <p>A loader that was told to keep going past bad input hands on the bad row as a record whose
 * {@link #problem()} says what was wrong; the pipeline turns it into a failed result, so that nothing
 * read is ever dropped silently.
 *
 * @param id       the caller's id, or {@code null} when the source has none
 * @param text     the text (for matching: the first text); {@code null} only for invalid records
 * @param textB    the second text of a matching pair, else {@code null}
 * @param label    the gold label (classification: a label name; matching: {@code 1}/{@code 0}), or {@code null}
 * @param entities the gold entities for NER, or {@code null} when unknown
 * @param metadata further columns, in source order
 * @param source   where the record was read, e.g. {@code reviews.csv:17}, or {@code null}
 * @param problem  why the loader could not read this record, or {@code null} for a good record
 */
public record TextRecord(
        String id,
        String text,
        String textB,
        String label,
        List<Entity> entities,
        Map<String, String> metadata,
        String source,
        String problem) {

    public TextRecord {
        entities = entities == null ? null : List.copyOf(entities);
        metadata = metadata == null || metadata.isEmpty()
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (problem == null) {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A record with just a text. */
    public static TextRecord of(String text) {
        return new TextRecord(null, text, null, null, null, Map.of(), null, null);
    }

    /** A text with its gold label. */
    public static TextRecord of(String text, String label) {
        return new TextRecord(null, text, null, label, null, Map.of(), null, null);
    }

    /** A matching pair with its gold label ({@code 1} or {@code 0}, or {@code null}). */
    public static TextRecord pair(String text, String textB, String label) {
        return new TextRecord(null, text, textB, label, null, Map.of(), null, null);
    }

    /** A record the loader could not read, kept so that it ends up in the results as a failure. */
    public static TextRecord invalid(String id, String source, String problem) {
        return new TextRecord(id, null, null, null, null, Map.of(), source, Objects.requireNonNull(problem, "problem"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the loader read this record successfully. */
    public boolean isValid() {
        return problem == null;
    }

    /** Whether a gold answer is known: a label, or a gold entity list. */
    public boolean hasGold() {
        return label != null || entities != null;
    }

    /**
     * The gold label read as a semantic-matching decision: {@code true} for 1, true, yes, y, 是 or match, {@code
     * false} for 0, false, no, n, 否 or mismatch (any case, surrounding spaces ignored), {@code null} for no label
     * or any other. The semantic-matching task validates and scores gold labels by this reading.
     */
    public Boolean goldMatch() {
        if (label == null) {
            return null;
        }
        return switch (label.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "y", "是", "match" -> Boolean.TRUE;
            case "0", "false", "no", "n", "否", "mismatch" -> Boolean.FALSE;
            default -> null;
        };
    }

    public TextRecord withText(String newText, String newTextB) {
        return new TextRecord(id, newText, newTextB, label, entities, metadata, source, problem);
    }

    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .text(text)
                .textB(textB)
                .label(label)
                .entities(entities)
                .metadata(metadata)
                .source(source)
                .problem(problem);
    }

    /** Builds a {@link TextRecord}; every field but the text is optional. */
    public static final class Builder {
        private Builder() {}

        private String id;
        private String text;
        private String textB;
        private String label;
        private List<Entity> entities;
        private Map<String, String> metadata = Map.of();
        private String source;
        private String problem;

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder textB(String textB) {
            this.textB = textB;
            return this;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder entities(List<Entity> entities) {
            this.entities = entities;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }
        /** Why the record could not be read (then the text may be missing); {@code null} for a good record. */
        public Builder problem(String problem) {
            this.problem = problem;
            return this;
        }

        public TextRecord build() {
            return new TextRecord(id, text, textB, label, entities, metadata, source, problem);
        }
    }
}
