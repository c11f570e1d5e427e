package io.openautoglm.local.internal;

import io.openautoglm.core.Entity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BIO tags of a task's entity types: {@code O} has id 0, then {@code B-type} and {@code I-type} for each type in
 * order (ids {@code 2k+1} and {@code 2k+2}). Converts character spans to one tag per token and back.
 */
public final class BioTags {
    public static final int OUTSIDE = 0;

    private final List<String> types;
    private final List<String> tags;
    private final Map<String, Integer> typeIndex;

    private BioTags(List<String> types) {
        this.types = List.copyOf(types);
        this.typeIndex = new HashMap<>();
        List<String> names = new ArrayList<>();
        names.add("O");
        for (String type : this.types) {
            if (typeIndex.putIfAbsent(type, typeIndex.size()) != null) {
                throw new IllegalArgumentException("entity type '" + type + "' is listed twice in " + types);
            }
            names.add("B-" + type);
            names.add("I-" + type);
        }
        this.tags = List.copyOf(names);
    }

    public static BioTags of(List<String> types) {
        return new BioTags(types);
    }

    public List<String> types() {
        return types;
    }

    /** The tag names by id. */
    public List<String> tags() {
        return tags;
    }

    public int size() {
        return tags.size();
    }

    /** The id of {@code B-type}. */
    public int begin(String type) {
        Integer k = typeIndex.get(type);
        if (k == null) {
            throw new IllegalArgumentException("unknown entity type '" + type + "'; the task's types are " + types);
        }
        return 2 * k + 1;
    }

    /** The id of {@code I-type}. */
    public int inside(String type) {
        return begin(type) + 1;
    }

    /**
     * One tag per token of {@code offsets}: a token overlapping an entity, even partly, is inside it, the entity's
     * first such token is {@code B-}, the rest {@code I-}; other tokens, special ones included, are O. BIO cannot
     * represent overlapping entities, so where two overlap the one starting first (or, at the same start, the longer
     * one) keeps its tokens and the other is dropped. An entity that covers no token (beyond the truncation, or only
     * white space) gets no tag.
     *
     * @throws IllegalArgumentException for an entity of a type not in this scheme
     */
    public int[] encode(List<Entity> entities, TokenOffsets offsets) {
        int[] tagIds = new int[offsets.size()];
        List<Entity> ordered = new ArrayList<>(entities);
        ordered.sort(Comparator.comparingInt(Entity::start)
                .thenComparing(Comparator.comparingInt(Entity::end).reversed()));
        for (Entity e : ordered) {
            int begin = begin(e.type());
            List<Integer> covered = new ArrayList<>();
            for (int t = 0; t < offsets.size(); t++) {
                if (!offsets.isSpecial(t) && offsets.start(t) < e.end() && offsets.end(t) > e.start()) {
                    covered.add(t);
                }
            }
            if (covered.stream().anyMatch(t -> tagIds[t] != OUTSIDE)) {
                continue;
            }
            for (int t : covered) {
                tagIds[t] = t == covered.get(0) ? begin : begin + 1;
            }
        }
        return tagIds;
    }

    /** An entity in token space: its first and last token (inclusive) and the index of its type. */
    public record Span(int first, int last, int type) {}

    /**
     * The entities that a tag sequence marks, as spans of {@code text} from the first token's start to the last
     * token's end. {@code tagIds[i]} tags token {@code i} of {@code offsets}; a shorter array (a Viterbi path over
     * a padded row's real tokens) leaves the rest O. Ill-formed sequences are read as {@link #spans} reads them.
     */
    public List<Entity> decode(int[] tagIds, TokenOffsets offsets, String text) {
        if (tagIds.length > offsets.size()) {
            throw new IllegalArgumentException(
                    tagIds.length + " tags for " + offsets.size() + " tokens: tags must align with the tokens");
        }
        List<Entity> entities = new ArrayList<>();
        for (Span s : spans(tagIds, offsets::isSpecial)) {
            entities.add(entity(text, offsets.start(s.first()), offsets.end(s.last()), s.type()));
        }
        return entities;
    }

    /**
     * The entities that a tag sequence marks, in token space. Ill-formed sequences are read the usual way: an
     * {@code I-} that does not continue an entity of its type starts one, and a special token ends any entity.
     */
    public List<Span> spans(int[] tagIds, java.util.function.IntPredicate special) {
        List<Span> spans = new ArrayList<>();
        int type = -1; // the open entity's type index, -1 when none
        int first = 0;
        for (int t = 0; t <= tagIds.length; t++) {
            int id = t == tagIds.length ? OUTSIDE : tagIds[t];
            if (id < 0 || id >= tags.size()) {
                throw new IllegalArgumentException("tag id " + id + " out of range 0.." + (tags.size() - 1));
            }
            int tokenType = id == OUTSIDE || special.test(t) ? -1 : (id - 1) / 2;
            if (tokenType >= 0 && tokenType == type && id % 2 == 0) {
                continue; // I- of the open entity's type
            }
            if (type >= 0) {
                spans.add(new Span(first, t - 1, type));
            }
            type = tokenType;
            first = t;
        }
        return spans;
    }

    private Entity entity(String text, int start, int end, int type) {
        return new Entity(start, end, types.get(type), text.substring(start, end));
    }
}
