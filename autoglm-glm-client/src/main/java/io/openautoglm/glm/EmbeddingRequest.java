package io.openautoglm.glm;

import java.util.List;
import java.util.Objects;

/**
 * Texts to embed with {@code embedding-2} or {@code embedding-3}. The client splits long lists into requests
 * within GLM's limits (embedding-3: 64 texts each; embedding-2: about 8K tokens each) and returns the vectors in
 * input order.
 *
 * @param dimensions for embedding-3 one of 256, 512, 1024, 2048, or {@code null} for the model's default
 */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions) {
    public EmbeddingRequest {
        Objects.requireNonNull(model, "model");
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs: at least one text is needed, got none");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).isEmpty()) {
                throw new IllegalArgumentException("inputs[" + i + "]: an empty text cannot be embedded");
            }
        }
        if (model.equals("embedding-3")
                && dimensions != null
                && !List.of(256, 512, 1024, 2048).contains(dimensions)) {
            throw new IllegalArgumentException(
                    "dimensions: embedding-3 offers 256, 512, 1024 or 2048, got " + dimensions);
        }
        if (model.equals("embedding-2") && dimensions != null && dimensions != 1024) {
            throw new IllegalArgumentException("dimensions: embedding-2 has a fixed 1024, got " + dimensions);
        }
    }

    public static EmbeddingRequest of(String model, List<String> inputs) {
        return new EmbeddingRequest(model, inputs, null);
    }
}
