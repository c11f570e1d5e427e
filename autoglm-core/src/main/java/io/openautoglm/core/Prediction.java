package io.openautoglm.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A model's typed answer for one record: one of the three task results. */
public sealed interface Prediction {

    /**
     * A text classification: the chosen label, its score in [0, 1], and the score of every label where
     * the model gives them (empty otherwise).
     */
    record Classification(String label, double score, Map<String, Double> scores) implements Prediction {
        public Classification {
            Objects.requireNonNull(label, "label");
            scores = scores == null ? Map.of() : Map.copyOf(scores);
        }
    }

    /**
     * The entities found in a text, in order of their start offset, plus the mentions a model named that
     * could not be found in the text (as {@code type:mention}); those are reported, never invented.
     */
    record Entities(List<Entity> entities, List<String> unaligned) implements Prediction {
        public Entities {
            entities = List.copyOf(entities);
            unaligned = unaligned == null ? List.of() : List.copyOf(unaligned);
        }

        public Entities(List<Entity> entities) {
            this(entities, List.of());
        }
    }

    /** Whether a pair of texts match, and the model's score for "match" in [0, 1]. */
    record Match(boolean matched, double score) implements Prediction {}
}
