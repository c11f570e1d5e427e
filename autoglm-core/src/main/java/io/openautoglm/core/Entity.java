package io.openautoglm.core;

import java.util.Objects;

/**
 * A named entity: a span of the input text, given by character offsets ({@code end} exclusive),
 * its type and the mention itself, so that {@code text.substring(start, end).equals(mention)}.
 */
public record Entity(int start, int end, String type, String mention) {
    public Entity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mention, "mention");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(
                    "entity offsets must satisfy 0 <= start <= end, got start=" + start + " end=" + end);
        }
    }
}
