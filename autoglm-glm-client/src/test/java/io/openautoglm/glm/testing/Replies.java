package io.openautoglm.glm.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openautoglm.glm.testing.GlmTestServer.ChatCall;
import io.openautoglm.glm.testing.GlmTestServer.Fault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;

/** What the server sends: GLM's JSON and SSE shapes of answers, embeddings, errors and faults. Thread-safe. */
final class Replies {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Function<ChatCall, String> answerer;
    private final Duration stallTime;
    private final AtomicLong idCounter = new AtomicLong();

    Replies(Function<ChatCall, String> answerer, Duration stallTime) {
        this.answerer = answerer;
        this.stallTime = stallTime;
    }

    /**
     * The reply to a fault, or {@code null} for {@link Fault#SLOW_FIRST_BYTE} (a normal answer, only late). A fault
     * that still gives a complete answer reports it to {@code answered}, the server's count of billed answers.
     */
    MockResponse fault(Fault fault, ChatCall call, Consumer<ChatCall> answered) {
        return switch (fault) {
            case RATE_LIMIT_1302 -> error(429, "1302", "High concurrency usage of this API, please reduce concurrency");
            case RATE_LIMIT_1303 -> error(429, "1303", "High frequency usage of this API, please reduce frequency");
            case RATE_LIMIT_RETRY_AFTER ->
                error(429, "1302", "High concurrency usage of this API").setHeader("Retry-After", "1");
            case OVERLOADED_1305 ->
                error(429, "1305", "The service may be temporarily overloaded, please try again later");
            case OVERLOADED_503 -> error(503, "1305", "The service may be temporarily overloaded");
            case MODEL_BUSY_1312 -> error(429, "1312", "The model is busy, please try again later");
            case NO_BALANCE_1113 -> error(429, "1113", "Your account is in arrears, please recharge");
            case PROMPT_TOO_LONG_1261 -> error(400, "1261", "Prompt exceeds max length");
            case CONTENT_FILTER_1301 -> error(400, "1301", "Unsafe or sensitive content detected");
            case INVALID_PARAMETER_1214 -> error(400, "1214", "Invalid parameter: messages");
            case TOKEN_EXPIRED_1003 -> error(401, "1003", "Token expired");
            case AUTH_FAILED_1000 -> error(401, "1000", "Authentication failed");
            case SERVER_500 ->
                new MockResponse()
                        .setResponseCode(500)
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"error\":{\"message\":\"Internal server error\"}}");
            case SERVER_500_NON_JSON ->
                new MockResponse()
                        .setResponseCode(500)
                        .setHeader("Content-Type", "text/html")
                        .setBody("<html><body>502 Bad Gateway</body></html>");
            case RESET -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            case STALL -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
            case SENSITIVE -> {
                answered.accept(call);
                yield answer(call, "", "sensitive");
            }
            case STREAM_CUT ->
                call.stream()
                        ? sse(List.of(chunk(call, "assistant", piece(answerer.apply(call)), null, false)), false)
                        : new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            case STREAM_NETWORK_ERROR ->
                call.stream()
                        ? sse(
                                List.of(
                                        chunk(call, "assistant", piece(answerer.apply(call)), null, false),
                                        chunk(call, null, "", "network_error", true)),
                                true)
                        : answer(call, piece(answerer.apply(call)), "network_error");
            case STREAM_STALL -> {
                if (!call.stream()) {
                    yield new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
                }
                String first = "data: " + chunk(call, "assistant", piece(answerer.apply(call)), null, false) + "\n\n";
                String rest = "data: " + chunk(call, null, "", "stop", true) + "\n\ndata: [DONE]\n\n";
                // Not chunked, so the throttle's first batch is exactly the first event.
                MockResponse r = new MockResponse()
                        .setResponseCode(200)
                        .setHeader("Content-Type", "text/event-stream")
                        .setBody(first + rest);
                yield r.throttleBody(
                        first.getBytes(StandardCharsets.UTF_8).length, stallTime.toMillis(), TimeUnit.MILLISECONDS);
            }
            case SLOW_FIRST_BYTE -> null;
        };
    }

    private static String piece(String content) {
        return content.isEmpty() ? "" : content.substring(0, Math.max(1, content.length() / 2));
    }

    /** A complete answer, JSON or (when the call asked for a stream) SSE in three chunks. */
    MockResponse answer(ChatCall call, String content, String finishReason) {
        if (call.stream()) {
            List<String> chunks = new ArrayList<>();
            int n = content.length();
            int third = Math.max(1, n / 3);
            chunks.add(chunk(call, "assistant", n == 0 ? "" : content.substring(0, Math.min(n, third)), null, false));
            if (n > third) {
                chunks.add(chunk(call, null, content.substring(third), null, false));
            }
            chunks.add(chunk(call, "assistant", "", finishReason, true));
            return sse(chunks, true);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-" + idCounter.incrementAndGet());
        if (call.body().hasNonNull("request_id")) {
            root.put("request_id", call.body().get("request_id").asText());
        }
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", call.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("finish_reason", finishReason);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        usage(root.putObject("usage"), call, content);
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(root.toString());
    }

    private String chunk(ChatCall call, String role, String content, String finishReason, boolean withUsage) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-stream");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", call.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (finishReason != null) {
            choice.put("finish_reason", finishReason);
        }
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        delta.put("content", content);
        if (withUsage) {
            usage(root.putObject("usage"), call, answerer.apply(call));
        }
        return root.toString();
    }

    private static MockResponse sse(List<String> chunks, boolean done) {
        StringBuilder sb = new StringBuilder();
        for (String c : chunks) {
            sb.append("data: ").append(c).append("\n\n");
        }
        if (done) {
            sb.append("data: [DONE]\n\n");
        }
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "text/event-stream")
                .setHeader("Cache-Control", "no-cache")
                .setChunkedBody(sb.toString(), 64);
    }

    private static void usage(ObjectNode u, ChatCall call, String content) {
        long prompt = 0;
        for (String c : call.contents()) {
            prompt += Math.max(1, c.length() / 2);
        }
        long completion = Math.max(1, content.length());
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0);
    }

    /** Embeddings of {@code texts}, deliberately out of order, each vector's first value its index. */
    MockResponse embeddings(String model, List<String> texts, int dims) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long tokens = 0;
        // Out of order on purpose: clients must sort by index.
        for (int i = texts.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject();
            item.put("index", i);
            item.put("object", "embedding");
            ArrayNode vec = item.putArray("embedding");
            int h = texts.get(i).hashCode();
            for (int j = 0; j < dims; j++) {
                vec.add(j == 0 ? (double) i : ((h >>> (j % 31)) & 1) == 0 ? -0.01 : 0.01);
            }
            tokens += Math.max(1, texts.get(i).length() / 2);
        }
        ObjectNode u = root.putObject("usage");
        u.put("prompt_tokens", tokens);
        u.put("completion_tokens", 0);
        u.put("total_tokens", tokens);
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(root.toString());
    }

    /** GLM's error body, {@code {"error":{"code":…,"message":…}}}, with the status. */
    static MockResponse error(int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode err = root.putObject("error");
        if (code != null) {
            err.put("code", code);
        }
        err.put("message", message);
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(root.toString());
    }
}
