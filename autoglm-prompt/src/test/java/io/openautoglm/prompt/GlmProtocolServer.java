package io.openautoglm.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A minimal GLM chat-completions server on MockWebServer (docs/reference/glm-api.md §3–4): checks the bearer
 * key, answers {@code POST /api/paas/v4/chat/completions} with the answer function's text and a usage block,
 * and fails the requests a test asks it to with HTTP 500. Counts the answers it gave, which is what GLM
 * would bill. Thread-safe.
 */
final class GlmProtocolServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/paas/v4/chat/completions";

    private final MockWebServer server = new MockWebServer();
    private final String apiKey;
    private final Function<String, String> answerer;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final Deque<Integer> failures = new ArrayDeque<>();

    /** @param answerer from the last user message to the assistant's answer */
    GlmProtocolServer(String apiKey, Function<String, String> answerer) {
        this.apiKey = apiKey;
        this.answerer = answerer;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return GlmProtocolServer.this.dispatch(request);
            }
        });
        try {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to give the client: {@code http://127.0.0.1:port/api/paas/v4/}. */
    String baseUrl() {
        return server.url("/api/paas/v4/").toString();
    }

    /** Answers the next request with HTTP 500. */
    synchronized void failNext() {
        failures.add(500);
    }

    long answered() {
        return answered.get();
    }

    private MockResponse dispatch(RecordedRequest request) {
        if (!"POST".equals(request.getMethod()) || !PATH.equals(request.getPath())) {
            return error(404, "1211", "no such path " + request.getPath());
        }
        if (!("Bearer " + apiKey).equals(request.getHeader("Authorization"))) {
            return error(401, "1000", "Authentication failed");
        }
        synchronized (this) {
            if (!failures.isEmpty()) {
                return error(failures.poll(), "500", "Internal server error");
            }
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().readUtf8());
        } catch (IOException e) {
            return error(400, "1214", "body is not JSON");
        }
        String user = "";
        for (JsonNode m : body.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                user = m.path("content").asText();
            }
        }
        if (user.isEmpty() || body.path("model").asText().isEmpty()) {
            return error(400, "1214", "Invalid parameter: model and a user message are required");
        }
        String content = answerer.apply(user);
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chat-" + ids.incrementAndGet());
        root.put("created", 1764123456L);
        root.put("model", body.path("model").asText());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", user.length());
        usage.put("completion_tokens", content.length());
        usage.put("total_tokens", user.length() + content.length());
        answered.incrementAndGet();
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(root.toString());
    }

    private static MockResponse error(int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(root.toString());
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
