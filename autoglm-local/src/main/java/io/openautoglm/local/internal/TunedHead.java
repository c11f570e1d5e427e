package io.openautoglm.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openautoglm.core.AutoGlmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of a fine-tuned model folder ({@code autoglm-head.json}, written by autoglm-train): class scores are a
 * linear map of the engine's unit-normalised sentence vector, so serving the folder needs ONNX Runtime only.
 */
public record TunedHead(String task, List<String> classes, float[][] weights, float[] bias, int maxLength) {
    public static final String FILE = "autoglm-head.json";

    /** The head beside a folder model, or {@code null} for a known model or a folder without one. */
    public static TunedHead find(String modelName) {
        if (modelName == null || !modelName.startsWith(ModelLocator.PREFIX)) {
            return null;
        }
        String rest = modelName.substring(ModelLocator.PREFIX.length());
        if (ModelLocator.known(rest) != null) {
            return null;
        }
        Path file = Path.of(rest).resolve(FILE);
        return Files.isRegularFile(file) ? read(file) : null;
    }

    static TunedHead read(Path file) {
        try {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            List<String> classes = new ArrayList<>();
            json.path("classes").forEach(c -> classes.add(c.asText()));
            JsonNode w = json.path("weights");
            float[][] weights = new float[w.size()][];
            for (int c = 0; c < weights.length; c++) {
                weights[c] = new float[w.get(c).size()];
                for (int h = 0; h < weights[c].length; h++) {
                    weights[c][h] = (float) w.get(c).get(h).asDouble();
                }
            }
            float[] bias = new float[json.path("bias").size()];
            for (int c = 0; c < bias.length; c++) {
                bias[c] = (float) json.path("bias").get(c).asDouble();
            }
            if (classes.size() < 2 || weights.length != classes.size() || bias.length != classes.size()) {
                throw new AutoGlmException(file + ": classes, weights and bias disagree in size (" + classes.size()
                        + ", " + weights.length + ", " + bias.length + ")");
            }
            if (!json.path("pooling").asText("cls").equals("cls")) {
                throw new AutoGlmException(file + ": pooling '"
                        + json.path("pooling").asText() + "' is not one this engine serves a tuned head with (cls)");
            }
            return new TunedHead(
                    json.path("task").asText(),
                    List.copyOf(classes),
                    weights,
                    bias,
                    json.path("maxLength").asInt(0));
        } catch (IOException e) {
            throw new AutoGlmException("cannot read the tuned head " + file + ": " + e.getMessage(), e);
        }
    }

    /** Class probabilities for a unit-normalised vector, in {@link #classes()} order. */
    public double[] probabilities(float[] v) {
        double[] logits = new double[bias.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < logits.length; c++) {
            if (weights[c].length != v.length) {
                throw new IllegalArgumentException(
                        "the tuned head expects " + weights[c].length + " dimensions, the model gives " + v.length);
            }
            double z = bias[c];
            for (int h = 0; h < v.length; h++) {
                z += weights[c][h] * v[h];
            }
            logits[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < logits.length; c++) {
            logits[c] = Math.exp(logits[c] - max);
            sum += logits[c];
        }
        for (int c = 0; c < logits.length; c++) {
            logits[c] /= sum;
        }
        return logits;
    }
}
