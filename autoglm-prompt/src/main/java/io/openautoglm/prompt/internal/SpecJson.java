package io.openautoglm.prompt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.core.Dataset;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.Usage;
import io.openautoglm.prompt.Candidate;
import io.openautoglm.prompt.Objective;
import io.openautoglm.prompt.OptimizationResult;
import io.openautoglm.prompt.PromptSpec;
import io.openautoglm.prompt.StopReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimisation result's own JSON: scores, trajectory, stop reason and usage, written field by field so that
 * the format is stable and readable by hand; {@code format} versions it. Each candidate's spec is a pipeline
 * spec's {@code task} section ({@link TaskJson}), and the base is a pipeline spec written by the core.
 */
public final class SpecJson {
    /** Bumped when the layout changes incompatibly; 3: specs as task sections, the base pipeline spec. */
    public static final int FORMAT = 3;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecJson() {}

    /**
     * A result with every candidate's task. Candidates mostly share their demonstrations (an optimiser changes one
     * thing at a time), so each distinct list of examples is written once, under {@code demonstrationSets}, and a
     * candidate names its list by index ({@code demonstrationSet}) with its task section written without
     * {@code examples}: 97 candidates with the same 16,000 pairs took 238 MB written inline. The base is written
     * without its task, which is the start's, and with the folder its relative paths resolve against.
     */
    public static String write(OptimizationResult r) {
        ObjectNode root = header(r);
        PipelineSpec base = r.base();
        root.put("baseDir", base.baseDir().toString());
        // the start's task is the first candidate's: written there, not here (its examples may be thousands)
        ObjectNode baseNode = TaskJson.node(
                base.withTask(base.task().toBuilder().examples(null).build()));
        baseNode.remove("task");
        root.set("base", baseNode);
        ArrayNode sets = root.putArray("demonstrationSets");
        Map<Dataset, Integer> byDataset = new IdentityHashMap<>();
        Map<JsonNode, Integer> byContent = new HashMap<>();
        ArrayNode t = root.putArray("trajectory");
        for (Candidate c : r.trajectory()) {
            ObjectNode n = candidate(c);
            TaskSpec task = c.spec().task();
            Integer k = task.examples() == null ? null : byDataset.get(task.examples());
            ObjectNode spec;
            if (k != null) {
                spec = TaskJson.node(task.toBuilder().examples(null).build());
            } else {
                spec = TaskJson.node(task);
                JsonNode demos = spec.remove("examples");
                if (demos != null) {
                    k = byContent.get(demos);
                    if (k == null) {
                        k = sets.size();
                        byContent.put(demos, k);
                        sets.add(demos);
                    }
                    byDataset.put(task.examples(), k);
                }
            }
            if (k != null) {
                n.put("demonstrationSet", k);
            }
            n.set("spec", spec);
            t.add(n);
        }
        return text(root);
    }

    public static String report(OptimizationResult r) {
        ObjectNode root = header(r);
        root.put("finalPrompt", r.finalPrompt());
        root.set("bestSpec", TaskJson.node(r.bestSpec().task()));
        ArrayNode t = root.putArray("trajectory");
        r.trajectory().forEach(c -> t.add(candidate(c)));
        return text(root);
    }

    public static OptimizationResult readResult(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an optimisation result in JSON: " + e.getOriginalMessage(), e);
        }
        int format = root == null ? -1 : root.path("format").asInt(-1);
        if (format < 1 || format > FORMAT) {
            throw new IllegalArgumentException("optimisation result format " + format + " is not supported; "
                    + "this version reads formats 1 to " + FORMAT);
        }
        Path baseDir = Path.of(root.path("baseDir").asText(""));
        JsonNode sets = root.path("demonstrationSets");
        Map<Integer, Dataset> shared = new HashMap<>();
        List<Candidate> trajectory = new ArrayList<>();
        JsonNode startSection = null;
        for (JsonNode n : root.withArray("trajectory")) {
            int index = n.path("index").asInt();
            if (!n.has("spec")) {
                throw new IllegalArgumentException("trajectory entry " + index + " has no spec: "
                        + "this is a report (writeReport), not a saved result (saveResult)");
            }
            JsonNode spec = n.get("spec");
            JsonNode set = format == FORMAT ? n.get("demonstrationSet") : spec.get("demonstrationSet");
            if (format < FORMAT) {
                spec = LegacySpec.task(spec);
                if (set != null && sets.path(set.asInt(-1)).isEmpty() && sets.has(set.asInt(-1))) {
                    set = null; // format 2 named an empty set for a spec without demonstrations
                }
            }
            TaskSpec task;
            if (set == null) {
                task = TaskJson.read(spec, baseDir);
            } else {
                int k = set.asInt(-1);
                if (!sets.has(k)) {
                    throw new IllegalArgumentException("trajectory entry " + index + " names demonstration set " + set
                            + ", but the file's demonstrationSets holds " + sets.size());
                }
                Dataset examples = shared.get(k);
                if (examples == null) {
                    JsonNode demos = format == FORMAT ? sets.get(k) : LegacySpec.examples(sets.get(k));
                    task = TaskJson.read(((ObjectNode) spec.deepCopy()).set("examples", demos), baseDir);
                    shared.put(k, task.examples());
                } else {
                    task = TaskJson.read(spec, baseDir).toBuilder()
                            .examples(examples)
                            .build();
                }
            }
            if (startSection == null) {
                startSection = spec;
            }
            trajectory.add(new Candidate(
                    index,
                    n.path("optimizer").asText(),
                    n.path("note").asText(),
                    PromptSpec.of(task),
                    n.path("score").asDouble(),
                    usage(n.path("usage"))));
        }
        if (trajectory.isEmpty()) {
            throw new IllegalArgumentException("the optimisation result has no trajectory");
        }
        TaskSpec startTask = trajectory.get(0).spec().task();
        PipelineSpec base;
        if (root.has("base")) {
            // read with the start's task section (less its examples), then given the start's task itself
            ObjectNode b = ((ObjectNode) root.get("base").deepCopy());
            ObjectNode section = ((ObjectNode) startSection.deepCopy());
            section.remove("examples");
            b.set("task", section);
            base = TaskJson.pipeline(b, baseDir).withTask(startTask);
        } else {
            base = PipelineSpec.builder().task(startTask).baseDir(baseDir).build();
        }
        return new OptimizationResult(
                root.path("optimizer").asText(),
                Objective.valueOf(root.path("objective").asText()),
                root.path("seed").asLong(),
                trajectory,
                root.path("bestIndex").asInt(),
                StopReason.valueOf(root.path("stopReason").asText()),
                usage(root.path("usage")),
                base);
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
        return new Usage(
                n.path("calls").asLong(),
                n.path("promptTokens").asLong(),
                n.path("completionTokens").asLong(),
                n.path("cost").asDouble(),
                Duration.ofMillis(n.path("elapsedMillis").asLong()));
    }

    private static String text(JsonNode node) {
        return TaskJson.text(node);
    }
}
