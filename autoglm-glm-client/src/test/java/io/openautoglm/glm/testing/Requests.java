package io.openautoglm.glm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.glm.testing.GlmTestServer.ChatCall;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;

/** Reads what clients send, refusing what GLM refuses: a refusal carries the error reply to send instead. */
final class Requests {
    private Requests() {}

    /** A request GLM would refuse, with the reply it would give. */
    static final class Refused extends Exception {
        final transient MockResponse reply;

        Refused(MockResponse reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    /** An embeddings request: the texts and the vector size asked for. */
    record Embeddings(String model, List<String> texts, int dims) {}

    /** A chat request: a model and at least one message. */
    static ChatCall chat(JsonNode body) throws Refused {
        String model = body.path("model").asText("");
        JsonNode messages = body.get("messages");
        if (model.isEmpty()) {
            throw new Refused(Replies.error(400, "1213", "missing model"));
        }
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new Refused(Replies.error(400, "1214", "Input cannot be empty"));
        }
        List<String> roles = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        for (JsonNode m : messages) {
            roles.add(m.path("role").asText());
            contents.add(m.path("content").asText());
        }
        return new ChatCall(model, roles, contents, body.path("stream").asBoolean(false), body);
    }

    /** An embeddings request: 1 to 64 texts; {@code dimensions} one the model offers. */
    static Embeddings embeddings(JsonNode body) throws Refused {
        String model = body.path("model").asText("");
        JsonNode input = body.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            input.forEach(n -> texts.add(n.asText()));
        }
        if (texts.isEmpty()) {
            throw new Refused(Replies.error(400, "1214", "Input cannot be empty"));
        }
        if (texts.size() > 64) {
            throw new Refused(Replies.error(400, "1214", "input: at most 64 items, got " + texts.size()));
        }
        int dims = model.equals("embedding-2") ? 1024 : 2048;
        if (body.hasNonNull("dimensions")) {
            int d = body.get("dimensions").asInt();
            if (model.equals("embedding-3") && !List.of(256, 512, 1024, 2048).contains(d)
                    || model.equals("embedding-2") && d != 1024) {
                throw new Refused(Replies.error(400, "1214", "dimensions " + d + " not supported by " + model));
            }
            dims = d;
        }
        return new Embeddings(model, texts, dims);
    }
}
