package io.openautoglm.prompt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.core.Label;
import io.openautoglm.core.PromptTemplate;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.Usage;
import io.openautoglm.prompt.Candidate;
import io.openautoglm.prompt.Objective;
import io.openautoglm.prompt.OptimizationResult;
import io.openautoglm.prompt.PromptSpec;
import io.openautoglm.prompt.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for specs and results. Written field by field rather than by reflection so that the format is
 * stable across refactorings and readable by hand; {@code format} versions it.
 */
public final class SpecJson {
    /** Bumped when the layout changes incompatibly. */
    public static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecJson() {
    }

    public static String write(PromptSpec spec) {
        return text(spec(spec));
    }

    /**
     * A result with every candidate's spec. Candidates mostly share their demonstrations (an optimiser
     * changes one thing at a time), so each distinct list is written once, under {@code
     * demonstrationSets}, and a spec names its list by index: 97 candidates with the same 16,000 pairs
     * took 238 MB written inline.
     */
    public static String write(OptimizationResult r) {
        ObjectNode root = header(r);
        ArrayNode sets = root.putArray("demonstrationSets");
        Map<JsonNode, Integer> setIndex = new HashMap<>();
        ArrayNode t = root.putArray("trajectory");
        for (Candidate c : r.trajectory()) {
            ObjectNode n = candidate(c);
            ObjectNode spec = spec(c.spec());
            JsonNode demos = spec.remove("demonstrations");
            Integer k = setIndex.get(demos);
            if (k == null) {
                k = sets.size();
                setIndex.put(demos, k);
                sets.add(demos);
            }
            spec.put("demonstrationSet", k);
            n.set("spec", spec);
            t.add(n);
        }
        return text(root);
    }

    public static String report(OptimizationResult r) {
        ObjectNode root = header(r);
        root.put("finalPrompt", r.finalPrompt());
        root.set("bestSpec", spec(r.bestSpec()));
        ArrayNode t = root.putArray("trajectory");
        r.trajectory().forEach(c -> t.add(candidate(c)));
        return text(root);
    }

    public static PromptSpec readSpec(String json) {
        try {
            return spec(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a prompt spec in JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static OptimizationResult readResult(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an optimisation result in JSON: " + e.getOriginalMessage(), e);
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT && format != 1) {
            throw new IllegalArgumentException("optimisation result format " + format + " is not supported; "
                    + "this version reads formats 1 and " + FORMAT);
        }
        JsonNode sets = root.path("demonstrationSets");
        List<Candidate> trajectory = new ArrayList<>();
        for (JsonNode n : root.withArray("trajectory")) {
            int index = n.path("index").asInt();
            if (!n.has("spec")) {
                throw new IllegalArgumentException("trajectory entry " + index + " has no spec: "
                        + "this is a report (writeReport), not a saved result (save)");
            }
            JsonNode spec = n.get("spec");
            if (spec.has("demonstrationSet")) {
                int k = spec.path("demonstrationSet").asInt(-1);
                if (!sets.has(k)) {
                    throw new IllegalArgumentException("trajectory entry " + index + " names demonstration set "
                            + spec.path("demonstrationSet") + ", but the file's demonstrationSets holds " + sets.size());
                }
                spec = ((ObjectNode) spec.deepCopy()).set("demonstrations", sets.get(k));
            }
            trajectory.add(new Candidate(index, n.path("optimizer").asText(),
                    n.path("note").asText(), spec(spec), n.path("score").asDouble(), usage(n.path("usage"))));
        }
        return new OptimizationResult(root.path("optimizer").asText(), Objective.valueOf(root.path("objective").asText()),
                root.path("seed").asLong(), trajectory, root.path("bestIndex").asInt(),
                StopReason.valueOf(root.path("stopReason").asText()), usage(root.path("usage")));
    }

    private static ObjectNode header(OptimizationResult r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("optimizer", r.optimizer());
        root.put("objective", r.objective().name());
        root.put("seed", r.seed());
        root.put("startScore", r.startScore());
        root.put("bestScore", r.bestScore());
        root.put("improvement", r.improvement());
        root.put("bestIndex", r.best().index());
        root.put("candidates", r.trajectory().size());
        root.put("stopReason", r.stopReason().name());
        root.set("usage", usage(r.usage()));
        return root;
    }

    private static ObjectNode candidate(Candidate c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("index", c.index());
        n.put("optimizer", c.optimizer());
        n.put("note", c.note());
        n.put("score", c.score());
        n.set("usage", usage(c.usage()));
        return n;
    }

    private static ObjectNode usage(Usage u) {
        ObjectNode n = JSON.createObjectNode();
        n.put("calls", u.calls());
        n.put("promptTokens", u.promptTokens());
        n.put("completionTokens", u.completionTokens());
        n.put("cost", u.cost());
        n.put("elapsedMillis", u.elapsed().toMillis());
        return n;
    }

    private static Usage usage(JsonNode n) {
        return new Usage(n.path("calls").asLong(), n.path("promptTokens").asLong(), n.path("completionTokens").asLong(),
                n.path("cost").asDouble(), Duration.ofMillis(n.path("elapsedMillis").asLong()));
    }

    private static ObjectNode spec(PromptSpec s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("taskType", s.taskType().name());
        if (s.instruction() != null) {
            ObjectNode i = n.putObject("instruction");
            i.put("template", s.instruction().source());
            ArrayNode f = i.putArray("fields");
            s.instruction().fields().forEach(f::add);
        }
        ArrayNode labels = n.putArray("labels");
        for (Label l : s.labels()) {
            labels.addObject().put("name", l.name()).put("wording", l.description());
        }
        ArrayNode types = n.putArray("entityTypes");
        s.entityTypes().forEach(types::add);
        ArrayNode demos = n.putArray("demonstrations");
        for (TextRecord r : s.demonstrations()) {
            ObjectNode d = demos.addObject();
            if (r.id() != null) {
                d.put("id", r.id());
            }
            d.put("text", r.text());
            if (r.textB() != null) {
                d.put("textB", r.textB());
            }
            if (r.label() != null) {
                d.put("label", r.label());
            }
            if (r.entities() != null) {
                ArrayNode entities = d.putArray("entities");
                for (io.openautoglm.core.Entity e : r.entities()) {
                    entities.addObject().put("start", e.start()).put("end", e.end()).put("type", e.type())
                            .put("mention", e.mention());
                }
            }
            if (r.source() != null) {
                d.put("source", r.source());
            }
            if (!r.metadata().isEmpty()) {
                ObjectNode m = d.putObject("metadata");
                r.metadata().forEach(m::put);
            }
        }
        if (s.outputFormat() != null) {
            n.put("outputFormat", s.outputFormat());
        }
        ObjectNode options = n.putObject("options");
        s.options().forEach(options::put);
        return n;
    }

    private static PromptSpec spec(JsonNode n) {
        String type = n.path("taskType").asText(null);
        if (type == null) {
            throw new IllegalArgumentException("prompt spec JSON: field 'taskType' is missing");
        }
        PromptSpec.Builder b = PromptSpec.builder(TaskType.valueOf(type));
        JsonNode ins = n.get("instruction");
        if (ins != null && !ins.isNull()) {
            PromptTemplate.Builder tb = PromptTemplate.builder(ins.path("template").asText());
            ins.path("fields").forEach(f -> tb.field(f.asText()));
            b.instruction(tb.build());
        }
        List<Label> labels = new ArrayList<>();
        n.path("labels").forEach(l -> labels.add(Label.of(l.path("name").asText(), l.path("wording").asText(null))));
        b.labels(labels);
        List<String> types = new ArrayList<>();
        n.path("entityTypes").forEach(t -> types.add(t.asText()));
        b.entityTypes(types);
        List<TextRecord> demos = new ArrayList<>();
        for (JsonNode d : n.path("demonstrations")) {
            Map<String, String> meta = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = d.path("metadata").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                meta.put(e.getKey(), e.getValue().asText());
            }
            List<io.openautoglm.core.Entity> entities = null;
            if (d.has("entities")) {
                entities = new ArrayList<>();
                for (JsonNode e : d.path("entities")) {
                    entities.add(new io.openautoglm.core.Entity(e.path("start").asInt(), e.path("end").asInt(),
                            e.path("type").asText(), e.path("mention").asText()));
                }
            }
            demos.add(TextRecord.builder().id(d.path("id").asText(null)).text(d.path("text").asText())
                    .textB(d.path("textB").asText(null)).label(d.path("label").asText(null)).entities(entities)
                    .metadata(meta).source(d.path("source").asText(null)).build());
        }
        b.demonstrations(demos);
        b.outputFormat(n.path("outputFormat").asText(null));
        Iterator<Map.Entry<String, JsonNode>> it = n.path("options").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            b.option(e.getKey(), e.getValue().asText());
        }
        return b.build();
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
