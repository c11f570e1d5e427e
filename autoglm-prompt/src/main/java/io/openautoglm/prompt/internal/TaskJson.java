package io.openautoglm.prompt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.core.PipelineSpec;
import io.openautoglm.core.TaskSpec;
import java.nio.file.Path;

/**
 * A task's JSON, read and written by the core's {@link PipelineSpec} codec and nothing else: a task is written as
 * the {@code task} section of a pipeline spec that holds it, and read by wrapping the section in a pipeline
 * spec, so that there is one encoding, one schema and one set of checks.
 */
public final class TaskJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TaskJson() {}

    /** The task as the {@code task} section of a pipeline spec, paths as written. */
    public static String write(TaskSpec task) {
        return text(node(task));
    }

    /** The task section as a tree. */
    public static ObjectNode node(TaskSpec task) {
        return (ObjectNode) node(PipelineSpec.builder().task(task).build()).get("task");
    }

    /**
     * Reads a task section; an {@code examplesSource} path resolves against the working directory. The section
     * goes into a pipeline spec on the line it starts on, so that problems keep their line numbers.
     *
     * @throws io.openautoglm.core.PipelineSpecException listing every problem, with paths under {@code $.task}
     */
    public static TaskSpec read(String json) {
        return PipelineSpec.fromJson("{\"version\": " + PipelineSpec.VERSION + ", \"task\": " + json + "\n}")
                .task();
    }

    /** Reads a task section whose relative paths resolve against {@code baseDir}. */
    public static TaskSpec read(JsonNode task, Path baseDir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", PipelineSpec.VERSION);
        root.set("task", task);
        return PipelineSpec.fromJson(text(root), baseDir).task();
    }

    /** A pipeline spec as a tree, paths as written. */
    public static ObjectNode node(PipelineSpec spec) {
        try {
            return (ObjectNode) JSON.readTree(spec.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the core wrote a pipeline spec that is not JSON", e);
        }
    }

    /** Reads a pipeline spec from a tree whose relative paths resolve against {@code baseDir}. */
    public static PipelineSpec pipeline(JsonNode spec, Path baseDir) {
        return PipelineSpec.fromJson(text(spec), baseDir);
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
