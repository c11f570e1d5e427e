package io.openautoglm.glm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.ChatResponse;
import io.openautoglm.glm.Endpoint;
import io.openautoglm.glm.FinishReason;
import io.openautoglm.glm.GlmException;
import io.openautoglm.glm.ServerException;
import java.io.IOException;
import java.time.Clock;
import okhttp3.Response;

/**
 * Reads answers sent as one JSON object: a body that is not a JSON object, or an {@code error} object inside a 200,
 * is a failure (the latter mapped like an HTTP error), never taken for an answer. Chat answers are accounted in the
 * {@link UsageCounter}. Thread-safe.
 */
public final class JsonAnswers {
    private final Secrets secrets;
    private final Clock clock;
    private final UsageCounter usage;

    public JsonAnswers(Secrets secrets, Clock clock, UsageCounter usage) {
        this.secrets = secrets;
        this.clock = clock;
        this.usage = usage;
    }

    /** A complete (not streamed) chat answer, accounted. */
    public ChatResponse chat(ChatRequest request, Response response, Endpoint ep) throws IOException {
        JsonNode root = read(response, ep);
        Json.ChatResult r;
        try {
            r = Json.parseChat(root);
        } catch (IllegalArgumentException e) {
            throw new ServerException(
                    secrets.redact("GLM answer without choices from " + ep.name() + ": " + abbreviate(root.toString())),
                    response.code(),
                    null,
                    null);
        }
        return usage.account(
                new ChatResponse(
                        r.id(),
                        r.requestId(),
                        r.created(),
                        r.model() != null ? r.model() : request.model(),
                        r.content(),
                        r.reasoning(),
                        r.toolCalls(),
                        FinishReason.of(r.finishReason()),
                        r.finishReason(),
                        r.usage(),
                        0,
                        ep.name()),
                request.model());
    }

    /** The body as a JSON object. */
    public JsonNode read(Response response, Endpoint ep) throws IOException {
        String text = HttpCall.bodyText(response);
        try {
            JsonNode root = Json.read(text);
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            if (root.has("error") && !root.has("choices") && !root.has("data")) {
                throw ErrorMapper.map(response.code(), text, null, "endpoint " + ep.name(), secrets, clock);
            }
            return root;
        } catch (GlmException e) {
            throw e;
        } catch (IOException e) {
            throw new ServerException(
                    secrets.redact("GLM answer from " + ep.name() + " is not JSON: " + abbreviate(text)),
                    response.code(),
                    null,
                    null);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
