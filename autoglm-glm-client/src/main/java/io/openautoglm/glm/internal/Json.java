package io.openautoglm.glm.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.glm.ChatDelta;
import io.openautoglm.glm.ChatMessage;
import io.openautoglm.glm.ChatRequest;
import io.openautoglm.glm.FinishReason;
import io.openautoglm.glm.TokenUsage;
import io.openautoglm.glm.ToolCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** GLM's wire format. Lenient when reading: no field beyond {@code choices} is required. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Json() {}

    /** The parsed first choice of a non-streamed answer. */
    public record ChatResult(
            String id,
            String requestId,
            long created,
            String model,
            String content,
            String reasoning,
            List<ToolCall> toolCalls,
            String finishReason,
            TokenUsage usage) {}

    public static ObjectNode chatBody(ChatRequest r, boolean stream) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("model", r.model());
        ArrayNode messages = o.putArray("messages");
        for (ChatMessage m : r.messages()) {
            ObjectNode mo = messages.addObject();
            mo.put("role", m.role());
            mo.put("content", m.content());
            if (m.toolCallId() != null) {
                mo.put("tool_call_id", m.toolCallId());
            }
        }
        if (stream) {
            o.put("stream", true);
        }
        if (r.temperature() != null) {
            o.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            o.put("top_p", r.topP());
        }
        if (r.maxTokens() != null) {
            o.put("max_tokens", r.maxTokens());
        }
        if (r.doSample() != null) {
            o.put("do_sample", r.doSample());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = o.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (r.jsonObject()) {
            o.putObject("response_format").put("type", "json_object");
        }
        if (r.requestId() != null) {
            o.put("request_id", r.requestId());
        }
        if (r.userId() != null) {
            o.put("user_id", r.userId());
        }
        if (r.thinking() != null) {
            o.putObject("thinking").put("type", r.thinking());
        }
        for (Map.Entry<String, Object> e : r.extraFields().entrySet()) {
            o.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
        }
        return o;
    }

    /**
     * A content address for a request: SHA-256 over model, parameters and messages, leaving out what does not
     * change the answer ({@code stream}, {@code request_id}). Keys are sorted, so field order does not matter.
     */
    public static String requestHash(ChatRequest r) {
        ObjectNode body = chatBody(r, false);
        body.remove("request_id");
        try {
            Object canonical = MAPPER.treeToValue(body, Object.class);
            return sha256(MAPPER.writeValueAsBytes(canonical));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    public static ChatResult parseChat(JsonNode root) {
        JsonNode choice = firstChoice(root);
        if (choice == null) {
            throw new IllegalArgumentException("the answer has no choices");
        }
        JsonNode message = choice.path("message");
        return new ChatResult(
                text(root, "id"),
                text(root, "request_id"),
                root.path("created").asLong(0),
                text(root, "model"),
                text(message, "content"),
                text(message, "reasoning_content"),
                toolCalls(message.get("tool_calls")),
                text(choice, "finish_reason"),
                usage(root.get("usage")));
    }

    public static ChatDelta parseChunk(JsonNode root) {
        JsonNode choice = firstChoice(root);
        TokenUsage usage = root.hasNonNull("usage") ? usage(root.get("usage")) : null;
        if (choice == null) {
            return new ChatDelta(null, null, null, null, null, usage);
        }
        JsonNode delta = choice.path("delta");
        String finish = text(choice, "finish_reason");
        return new ChatDelta(
                text(delta, "role"),
                text(delta, "content"),
                text(delta, "reasoning_content"),
                FinishReason.of(finish),
                finish,
                usage);
    }

    public static List<ToolCall> toolCalls(JsonNode calls) {
        List<ToolCall> out = new ArrayList<>();
        if (calls != null && calls.isArray()) {
            for (JsonNode c : calls) {
                JsonNode fn = c.path("function");
                JsonNode args = fn.get("arguments");
                // The SDKs send arguments as a JSON string, the OpenAPI page draws an object: accept both.
                String argText =
                        args == null || args.isNull() ? null : args.isTextual() ? args.asText() : args.toString();
                out.add(new ToolCall(text(c, "id"), text(c, "type"), text(fn, "name"), argText));
            }
        }
        return out;
    }

    /**
     * Joins the tool calls of a stream's chunks. Each piece names its call by {@code index} (its place in the
     * array when it has none); the first id, type and name of a call are kept, and argument texts are joined in
     * order, since a stream may send the arguments of one call in several pieces. Not thread-safe.
     */
    public static final class ToolCallAssembler {
        private final java.util.TreeMap<Integer, String[]> calls = new java.util.TreeMap<>();

        public void add(JsonNode chunk) {
            JsonNode choice = firstChoice(chunk);
            JsonNode pieces = choice == null ? null : choice.path("delta").get("tool_calls");
            if (pieces == null || !pieces.isArray()) {
                return;
            }
            for (int i = 0; i < pieces.size(); i++) {
                JsonNode c = pieces.get(i);
                JsonNode fn = c.path("function");
                String[] call = calls.computeIfAbsent(c.path("index").asInt(i), k -> new String[4]);
                call[0] = call[0] != null ? call[0] : text(c, "id");
                call[1] = call[1] != null ? call[1] : text(c, "type");
                call[2] = call[2] != null ? call[2] : text(fn, "name");
                JsonNode args = fn.get("arguments");
                if (args != null && !args.isNull()) {
                    String piece = args.isTextual() ? args.asText() : args.toString();
                    call[3] = call[3] == null ? piece : call[3] + piece;
                }
            }
        }

        public List<ToolCall> calls() {
            List<ToolCall> out = new ArrayList<>();
            for (String[] c : calls.values()) {
                out.add(new ToolCall(c[0], c[1], c[2], c[3]));
            }
            return out;
        }
    }

    public static TokenUsage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return TokenUsage.NONE;
        }
        long prompt = u.path("prompt_tokens").asLong(0);
        long completion = u.path("completion_tokens").asLong(0);
        long total = u.has("total_tokens") ? u.path("total_tokens").asLong(0) : prompt + completion;
        return new TokenUsage(
                prompt,
                completion,
                total,
                u.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    }

    private static JsonNode firstChoice(JsonNode root) {
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return null;
        }
        return choices.get(0);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }
}
