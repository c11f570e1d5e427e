package io.openautoglm.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.Entity;
import io.openautoglm.core.Evaluator;
import io.openautoglm.core.Metrics;
import io.openautoglm.core.OutputParseException;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Prf;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TextRecord;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named-entity recognition. Generative models are asked for JSON mentions; offsets are found by
 * re-aligning each mention to the input text, because models are unreliable at counting characters.
 */
public final class NerTask implements Task {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TaskSpec spec;
    private final Prompts prompts;

    public NerTask(TaskSpec spec) {
        this.spec = spec;
        this.prompts = new Prompts(spec, "Find the named entities in the text: {text}");
    }

    @Override
    public TaskSpec spec() {
        return spec;
    }

    @Override
    public Optional<String> validate(TextRecord record) {
        if (record.text() == null || record.text().isBlank()) {
            return Optional.of("empty text");
        }
        if (record.entities() != null) {
            for (Entity e : record.entities()) {
                if (e.end() > record.text().length()
                        || !record.text().substring(e.start(), e.end()).equals(e.mention())) {
                    return Optional.of("gold entity " + e + " does not match the text at its offsets");
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String renderPrompt(TextRecord record) {
        String types = String.join(", ", spec.entityTypes());
        String body = prompts.body(record);
        if (prompts.template().isChinese()) {
            return body + "\n实体类型：" + String.join("、", spec.entityTypes())
                    + "\n以 JSON 回答：{\"entities\": [{\"type\": \"类型\", \"mention\": \"原文中的实体\"}]}，mention 必须逐字取自原文。";
        }
        return body + "\nEntity types: " + types
                + "\nAnswer in JSON: {\"entities\": [{\"type\": \"TYPE\", \"mention\": \"exact text from the input\"}]}";
    }

    @Override
    public Prediction parse(String output, TextRecord record) {
        JsonNode root;
        try {
            root = JSON.readTree(Prompts.stripCodeFence(output == null ? "" : output));
        } catch (Exception e) {
            throw new OutputParseException("answer is not JSON", output);
        }
        JsonNode list = root == null ? null : root.isArray() ? root : root.get("entities");
        if (list == null || !list.isArray()) {
            throw new OutputParseException("answer has no \"entities\" array", output);
        }
        return align(record.text(), list);
    }

    /**
     * Places each mention at its next occurrence in the text that overlaps no entity placed before (so that
     * "北京" after "北京大学" goes to a later 北京, not inside the university), else at one that is not the same
     * span as a placed entity; a mention written in another width or form than the text (IBM for ＩＢＭ) is found
     * through the NFKC forms of both. Mentions found nowhere are reported as unaligned.
     */
    private Prediction.Entities align(String text, JsonNode list) {
        Set<String> allowedTypes = new HashSet<>(spec.entityTypes());
        Map<String, Integer> nextSearch = new HashMap<>();
        List<Entity> found = new ArrayList<>();
        List<String> unaligned = new ArrayList<>();
        Folded folded = null;
        for (JsonNode item : list) {
            String type = item.path("type").asText("").strip();
            String mention =
                    item.path("mention").asText(item.path("text").asText("")).strip();
            if (mention.isEmpty() || type.isEmpty()) {
                unaligned.add(type + ":" + mention + " (missing type or mention)");
                continue;
            }
            if (!allowedTypes.isEmpty() && !allowedTypes.contains(type)) {
                unaligned.add(type + ":" + mention + " (unknown type)");
                continue;
            }
            int[] span = place(text, mention, nextSearch.getOrDefault(mention, 0), found);
            if (span == null) {
                folded = folded != null ? folded : new Folded(text);
                span = folded.place(mention, found);
            }
            if (span == null) {
                unaligned.add(type + ":" + mention);
                continue;
            }
            nextSearch.put(mention, span[1]);
            found.add(new Entity(span[0], span[1], type, text.substring(span[0], span[1])));
        }
        found.sort(Comparator.comparingInt(Entity::start).thenComparingInt(Entity::end));
        return new Prediction.Entities(found, unaligned);
    }

    /** {start, end} of the occurrence to use, or null: see {@link #align}. */
    private static int[] place(String text, String mention, int from, List<Entity> placed) {
        int len = mention.length();
        for (int start : List.of(from, 0)) {
            for (int at = text.indexOf(mention, start); at >= 0; at = text.indexOf(mention, at + 1)) {
                if (!overlaps(at, at + len, placed)) {
                    return new int[] {at, at + len};
                }
            }
        }
        for (int at = text.indexOf(mention, from); at >= 0; at = text.indexOf(mention, at + 1)) {
            if (!same(at, at + len, placed)) {
                return new int[] {at, at + len};
            }
        }
        return null;
    }

    private static boolean overlaps(int start, int end, List<Entity> placed) {
        for (Entity e : placed) {
            if (start < e.end() && e.start() < end) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(int start, int end, List<Entity> placed) {
        for (Entity e : placed) {
            if (e.start() == start && e.end() == end) {
                return true;
            }
        }
        return false;
    }

    /** The text in NFKC form, char by char, with the span in the original text each folded char came from. */
    private static final class Folded {
        private final String text;
        private final int[] from;
        private final int[] to;

        Folded(String original) {
            StringBuilder sb = new StringBuilder();
            List<int[]> spans = new ArrayList<>();
            for (int i = 0; i < original.length(); ) {
                int cp = original.codePointAt(i);
                int next = i + Character.charCount(cp);
                String f = Normalizer.normalize(original.substring(i, next), Normalizer.Form.NFKC);
                for (int k = 0; k < f.length(); k++) {
                    spans.add(new int[] {i, next});
                }
                sb.append(f);
                i = next;
            }
            this.text = sb.toString();
            this.from = spans.stream().mapToInt(a -> a[0]).toArray();
            this.to = spans.stream().mapToInt(a -> a[1]).toArray();
        }

        /** The original span of the folded mention's first free occurrence, or null. */
        int[] place(String mention, List<Entity> placed) {
            String m = Normalizer.normalize(mention, Normalizer.Form.NFKC);
            if (m.isEmpty()) {
                return null;
            }
            for (int at = text.indexOf(m); at >= 0; at = text.indexOf(m, at + 1)) {
                int start = from[at];
                int end = to[at + m.length() - 1];
                if (!overlaps(start, end, placed)) {
                    return new int[] {start, end};
                }
            }
            return null;
        }
    }

    @Override
    public Evaluator newEvaluator() {
        return new EntityEvaluator();
    }

    /** Exact-match counts per entity type. */
    static final class EntityEvaluator implements Evaluator {
        private final Map<String, long[]> counts = new HashMap<>(); // type -> {tp, fp, fn}
        private long texts;

        @Override
        public void add(TextRecord gold, Prediction prediction) {
            if (gold.entities() == null) {
                return;
            }
            texts++;
            Set<Entity> goldSet = spanSet(gold.entities());
            Set<Entity> predSet = spanSet(((Prediction.Entities) prediction).entities());
            for (Entity p : predSet) {
                counts.computeIfAbsent(p.type(), t -> new long[3])[goldSet.contains(p) ? 0 : 1]++;
            }
            for (Entity g : goldSet) {
                if (!predSet.contains(g)) {
                    counts.computeIfAbsent(g.type(), t -> new long[3])[2]++;
                }
            }
        }

        private static Set<Entity> spanSet(List<Entity> entities) {
            Set<Entity> s = new HashSet<>();
            for (Entity e : entities) {
                s.add(new Entity(e.start(), e.end(), e.type(), ""));
            }
            return s;
        }

        @Override
        public Metrics metrics() {
            Map<String, Prf> per = new LinkedHashMap<>();
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (String type : new TreeSet<>(counts.keySet())) {
                long[] c = counts.get(type);
                per.put(type, Prf.of(c[0], c[1], c[2]));
                tp += c[0];
                fp += c[1];
                fn += c[2];
            }
            return new Metrics.EntityMetrics(texts, Prf.of(tp, fp, fn), per);
        }
    }
}
