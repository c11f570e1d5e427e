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
 * The head of a fine-tuned model folder ({@code autoglm-head.json}, written by autoglm-train), applied in plain Java
 * so that serving the folder needs ONNX Runtime only.
 *
 * <ul>
 *   <li>Classification: class scores are a linear map of the engine's unit-normalised sentence vector
 *       ({@code pooling: cls}); {@link #classes()} are the labels.
 *   <li>Matching, read together (a cross-encoder): the same over a pair read together, classes {@code 0} and
 *       {@code 1}, and the {@link #threshold()} on the probability of {@code 1} at which a pair matches.
 *   <li>Matching, read apart (a bi-encoder, {@code method: threshold}): no weights; each text is embedded alone, as the
 *       engine embeds texts, and a pair matches when the cosine similarity of its two vectors reaches the
 *       {@link #threshold()} ({@link #readsPairsApart()}).
 *   <li>Named-entity recognition: tag scores are a linear map of each token's state ({@code pooling: tokens}),
 *       decoded by a CRF ({@link #crf()}); {@link #classes()} are the entity types, and the rows of
 *       {@link #weights()} are their BIO tags in {@link BioTags} order.
 * </ul>
 *
 * @param crf the CRF of an NER head, else {@code null}
 * @param threshold a matching head's decision threshold, chosen on dev by the trainer: on the match probability, or
 *     on the cosine similarity for a bi-encoder; {@code NaN} when the folder gives none
 */
public record TunedHead(
        String task,
        List<String> classes,
        float[][] weights,
        float[] bias,
        int maxLength,
        Transitions crf,
        double threshold) {
    public static final String FILE = "autoglm-head.json";
    public static final String NER = "named_entity_recognition";
    public static final String MATCHING = "semantic_matching";

    /** A CRF's parameters, row-major: {@code transitions[from * tags + to]}, and the start and end scores. */
    public record Transitions(float[] transitions, float[] start, float[] end) {}

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
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AutoGlmException("cannot read the tuned head " + file + ": " + e.getMessage(), e);
        }
        String task = json.path("task").asText();
        if (task.equals(MATCHING) && json.path("method").asText("head").equals("threshold")) {
            // a bi-encoder: the tuned weights are all in the graph, the cosine threshold is all the head there is
            if (!json.path("pooling").asText("cls").equals("cls")) {
                throw new AutoGlmException(
                        file + ": pooling '" + json.path("pooling").asText()
                                + "' is not one this engine embeds a bi-encoder's texts with (cls)");
            }
            return new TunedHead(
                    task,
                    List.of(),
                    new float[0][],
                    new float[0],
                    json.path("maxLength").asInt(0),
                    null,
                    threshold(file, json.path("threshold"), -1));
        }
        boolean ner = task.equals(NER);
        List<String> classes = new ArrayList<>();
        json.path("classes").forEach(c -> classes.add(c.asText()));
        JsonNode w = json.path("weights");
        float[][] weights = new float[w.size()][];
        for (int c = 0; c < weights.length; c++) {
            weights[c] = floats(w.get(c));
        }
        float[] bias = floats(json.path("bias"));
        int rows = ner ? BioTags.of(classes).size() : classes.size();
        if (classes.size() < (ner ? 1 : 2) || weights.length != rows || bias.length != rows) {
            throw new AutoGlmException(file + ": classes, weights and bias disagree in size (" + classes.size()
                    + " classes, so " + rows + " rows; " + weights.length + " weight rows, " + bias.length
                    + " biases)");
        }
        String pooling = ner ? "tokens" : "cls";
        if (!json.path("pooling").asText(pooling).equals(pooling)) {
            throw new AutoGlmException(
                    file + ": pooling '" + json.path("pooling").asText() + "' is not one this engine serves a tuned "
                            + task + " head with (" + pooling + ")");
        }
        Transitions crf = null;
        if (ner) {
            JsonNode c = json.path("crf");
            crf = new Transitions(floats(c.path("transitions")), floats(c.path("start")), floats(c.path("end")));
            if (crf.transitions().length != rows * rows || crf.start().length != rows || crf.end().length != rows) {
                throw new AutoGlmException(file + ": the CRF does not fit " + rows + " tags");
            }
        }
        return new TunedHead(
                task,
                List.copyOf(classes),
                weights,
                bias,
                json.path("maxLength").asInt(0),
                crf,
                threshold(file, json.path("threshold"), 0));
    }

    /** @param lowest 0 for a probability, -1 for a cosine similarity */
    private static double threshold(Path file, JsonNode node, double lowest) {
        if (node.isMissingNode()) {
            return Double.NaN;
        }
        double t = node.asDouble(Double.NaN);
        if (!node.isNumber() || !(t >= lowest && t <= 1)) {
            throw new AutoGlmException(file + ": threshold " + node + " is not "
                    + (lowest == 0 ? "a probability between 0 and 1" : "a cosine similarity between -1 and 1"));
        }
        return t;
    }

    /**
     * Whether this is a bi-encoder's head: a pair's texts are embedded apart and compared by cosine similarity, as
     * the engine matches with a model that was not fine-tuned, rather than read together by a cross-encoder.
     */
    public boolean readsPairsApart() {
        return task.equals(MATCHING) && bias.length == 0;
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    /** The pooling the head reads: {@code cls} for a sentence head, {@code tokens} for a tagger. */
    public String pooling() {
        return crf == null ? "cls" : "tokens";
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

    /**
     * The best BIO tag of each of {@code n} tokens whose states lie row-major in {@code states} ({@code n × hidden}).
     */
    public int[] tags(float[] states, int n, int hidden) {
        if (weights[0].length != hidden) {
            throw new IllegalArgumentException(
                    "the tuned head expects " + weights[0].length + " dimensions, the model gives " + hidden);
        }
        int tags = bias.length;
        float[] emissions = new float[n * tags];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < tags; k++) {
                float[] w = weights[k];
                float z = bias[k];
                int off = t * hidden;
                for (int h = 0; h < hidden; h++) {
                    z += w[h] * states[off + h];
                }
                emissions[t * tags + k] = z;
            }
        }
        return Viterbi.decode(emissions, 0, n, crf.transitions(), crf.start(), crf.end());
    }
}
