package io.openautoglm.glm;

import java.util.List;

/** Embedding vectors in the order of the request's inputs, with the tokens and cost of all the calls made. */
public record EmbeddingResponse(String model, List<float[]> vectors, TokenUsage usage, double cost, int calls) {
    public EmbeddingResponse {
        vectors = List.copyOf(vectors);
    }
}
