package io.openautoglm.train.internal;

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

    /**
     * The entities that a tag sequence marks, as spans of {@code text} from the first token's start to the last
     * token's end. {@code tagIds[i]} tags token {@code i} of {@code offsets}; a shorter array (a Viterbi path over
     * a padded row's real tokens) leaves the rest O. Ill-formed sequences are read the usual way: an {@code I-} that
     * does not continue an entity of its type starts one, and a special token ends any entity.
     */
    public List<Entity> decode(int[] tagIds, TokenOffsets offsets, String text) {
        if (tagIds.length > offsets.size()) {
            throw new IllegalArgumentException(
                    tagIds.length + " tags for " + offsets.size() + " tokens: tags must align with the tokens");
        }
        List<Entity> entities = new ArrayList<>();
        int type = -1; // the open entity's type index, -1 when none
        int start = 0;
        int end = 0;
        for (int t = 0; t < tagIds.length; t++) {
            int id = tagIds[t];
            if (id < 0 || id >= tags.size()) {
                throw new IllegalArgumentException("tag id " + id + " out of range 0.." + (tags.size() - 1));
            }
            int tokenType = offsets.isSpecial(t) || id == OUTSIDE ? -1 : (id - 1) / 2;
            boolean continues = tokenType >= 0 && tokenType == type && id % 2 == 0;
            if (continues) {
                end = offsets.end(t);
                continue;
            }
            if (type >= 0) {
                entities.add(entity(text, start, end, type));
            }
            type = tokenType;
            if (type >= 0) {
                start = offsets.start(t);
                end = offsets.end(t);
            }
        }
        if (type >= 0) {
            entities.add(entity(text, start, end, type));
        }
        return entities;
    }

    private Entity entity(String text, int start, int end, int type) {
        return new Entity(start, end, types.get(type), text.substring(start, end));
    }
}
