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

    public NerTask(TaskSpec spec) {
        this.spec = spec;
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
        String template = spec.promptTemplate() != null ? spec.promptTemplate()
                : "Find the named entities in the text: {text}";
        String types = String.join(", ", spec.entityTypes());
        String body = Prompts.fill(template, record, Map.of("entity_types", types));
        if (Prompts.isChinese(template)) {
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

    /** Places each mention at its next unused occurrence in the text; unknown ones are reported. */
    private Prediction.Entities align(String text, JsonNode list) {
        Set<String> allowedTypes = new HashSet<>(spec.entityTypes());
        Map<String, Integer> nextSearch = new HashMap<>();
        List<Entity> found = new ArrayList<>();
        List<String> unaligned = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        for (JsonNode item : list) {
            String type = item.path("type").asText("");
            String mention = item.path("mention").asText(item.path("text").asText(""));
            if (mention.isEmpty() || type.isEmpty()) {
                unaligned.add(type + ":" + mention + " (missing type or mention)");
                continue;
            }
            if (!allowedTypes.isEmpty() && !allowedTypes.contains(type)) {
                unaligned.add(type + ":" + mention + " (unknown type)");
                continue;
            }
            int from = nextSearch.getOrDefault(mention, 0);
            int at = text.indexOf(mention, from);
            while (at >= 0 && taken.contains(((long) at << 32) | (at + mention.length()))) {
                at = text.indexOf(mention, at + 1);
            }
            if (at < 0) {
                unaligned.add(type + ":" + mention);
                continue;
            }
            nextSearch.put(mention, at + mention.length());
            taken.add(((long) at << 32) | (at + mention.length()));
            found.add(new Entity(at, at + mention.length(), type, mention));
        }
        found.sort(Comparator.comparingInt(Entity::start).thenComparingInt(Entity::end));
        return new Prediction.Entities(found, unaligned);
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
