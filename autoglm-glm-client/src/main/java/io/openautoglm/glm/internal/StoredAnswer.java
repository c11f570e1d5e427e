package io.openautoglm.glm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.glm.ChatResponse;

/** An answer as the journal and the cache keep it: enough to parse it again without paying for it again. */
public record StoredAnswer(
        String model, String content, String finishReason, long promptTokens, long completionTokens, double cost) {

    public static StoredAnswer of(ChatResponse r) {
        return new StoredAnswer(
                r.model(),
                r.content(),
                r.finishReasonRaw(),
                r.usage().promptTokens(),
                r.usage().completionTokens(),
                r.cost());
    }

    ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("model", model);
        o.put("content", content);
        o.put("finish_reason", finishReason);
        o.put("prompt_tokens", promptTokens);
        o.put("completion_tokens", completionTokens);
        o.put("cost", cost);
        return o;
    }

    static StoredAnswer fromJson(JsonNode o) {
        if (o == null || !o.has("content")) {
            throw new IllegalArgumentException("no content");
        }
        return new StoredAnswer(
                Json.text(o, "model"),
                o.get("content").asText(),
                Json.text(o, "finish_reason"),
                o.path("prompt_tokens").asLong(),
                o.path("completion_tokens").asLong(),
                o.path("cost").asDouble());
    }
}
