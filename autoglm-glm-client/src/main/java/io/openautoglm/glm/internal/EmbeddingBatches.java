package io.openautoglm.glm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.glm.EmbeddingRequest;
import io.openautoglm.glm.EmbeddingResponse;
import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.ServerException;
import io.openautoglm.glm.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;

/**
 * Embeddings in requests within GLM's limits: {@link #split} cuts the inputs into batches, {@link #read} reads one
 * batch's answer (vectors put back in input order by their {@code index}, the call accounted), and {@link #join}
 * adds the batches up in input order. Thread-safe.
 */
public final class EmbeddingBatches {
    private final JsonAnswers answers;
    private final UsageCounter usage;
    private final Secrets secrets;

    public EmbeddingBatches(JsonAnswers answers, UsageCounter usage, Secrets secrets) {
        this.answers = answers;
        this.usage = usage;
        this.secrets = secrets;
    }

    /**
     * embedding-3: at most 64 texts per request. embedding-2: about 8K tokens per request; one character is counted
     * as one token, which over-counts for every script GLM tokenizes, so requests stay under the cap.
     */
    public static List<List<String>> split(EmbeddingRequest request) {
        int maxItems = 64;
        long maxTokens = request.model().equals("embedding-2") ? 8000 : Long.MAX_VALUE;
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long tokens = 0;
        for (String s : request.inputs()) {
            long t = s.length();
            if (!current.isEmpty() && (current.size() == maxItems || tokens + t > maxTokens)) {
                out.add(current);
                current = new ArrayList<>();
                tokens = 0;
            }
            current.add(s);
            tokens += t;
        }
        out.add(current);
        return out;
    }

    /** The request body of one batch. */
    public static ObjectNode body(EmbeddingRequest request, List<String> batch) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        ArrayNode input = body.putArray("input");
        batch.forEach(input::add);
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        return body;
    }

    /** One batch's answer: a vector of numbers for each input, accounted. */
    public EmbeddingResponse read(EmbeddingRequest request, List<String> batch, Response response, Endpoint ep)
            throws IOException {
        JsonNode root = answers.read(response, ep);
        JsonNode data = root.get("data");
        if (data == null || !data.isArray() || data.size() != batch.size()) {
            throw new ServerException(
                    secrets.redact("GLM embeddings answer from " + ep.name() + " has "
                            + (data == null ? "no" : data.size()) + " vectors for " + batch.size() + " inputs"),
                    response.code(),
                    null,
                    null);
        }
        float[][] ordered = new float[batch.size()][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.has("index") ? item.get("index").asInt() : i;
            if (index < 0 || index >= ordered.length || ordered[index] != null) {
                throw new ServerException(
                        "GLM embeddings answer has a bad or repeated index " + index, response.code(), null, null);
            }
            JsonNode emb = item.path("embedding");
            boolean numbers = emb.isArray() && emb.size() > 0;
            for (JsonNode x : emb) {
                numbers &= x.isNumber();
            }
            if (!numbers) {
                throw new ServerException(
                        secrets.redact("GLM embeddings answer from " + ep.name() + ": item " + index
                                + " has no vector of numbers: " + JsonAnswers.abbreviate(item.toString())),
                        response.code(),
                        null,
                        null);
            }
            float[] v = new float[emb.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) emb.get(j).asDouble();
            }
            ordered[index] = v;
        }
        TokenUsage used = Json.usage(root.get("usage"));
        double cost = usage.record(request.model(), used);
        String m = root.hasNonNull("model") ? root.get("model").asText() : request.model();
        return new EmbeddingResponse(m, List.of(ordered), used, cost, 1);
    }

    /** The batches' answers as one, vectors in input order, usage and cost added up, the model of the last. */
    public static EmbeddingResponse join(String model, List<EmbeddingResponse> parts) {
        List<float[]> vectors = new ArrayList<>();
        long prompt = 0;
        long total = 0;
        double spent = 0;
        String m = model;
        for (EmbeddingResponse part : parts) {
            vectors.addAll(part.vectors());
            prompt += part.usage().promptTokens();
            total += part.usage().totalTokens();
            spent += part.cost();
            m = part.model();
        }
        return new EmbeddingResponse(m, vectors, new TokenUsage(prompt, 0, total, 0), spent, parts.size());
    }
}
