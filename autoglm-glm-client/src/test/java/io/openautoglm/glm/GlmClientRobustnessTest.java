package io.openautoglm.glm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancellation, a closed client, long streams, streamed tool calls and malformed answers, against a real local
 * server; and requests or spend the API would not accept as built.
 */
class GlmClientRobustnessTest {
    MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    GlmClient.Builder client() {
        return TestSupport.client(server).sleeper(d -> {});
    }

    static ChatRequest req() {
        return ChatRequest.builder("glm-4-plus").user("hello").build();
    }

    /** Cancelling the future of chatAsync should cancel the HTTP call; instead the call runs on and is paid for. */
    @Test
    void cancellingAsyncFutureCancelsTheCall() throws Exception {
        server.enqueue(new MockResponse()
                .setHeadersDelay(1500, TimeUnit.MILLISECONDS)
                .setHeader("Content-Type", "application/json")
                .setBody(TestSupport.CHAT_ANSWER));
        try (GlmClient glm = client().build()) {
            CompletableFuture<ChatResponse> f = glm.chatAsync(req());
            assertNotNull(server.takeRequest(5, TimeUnit.SECONDS));
            assertTrue(f.cancel(true));
            Thread.sleep(2500);
            assertEquals(0, glm.usage().calls(), "cancelled call still completed and was accounted: " + glm.usage());
        }
    }

    /** chatAsync on a closed client should give a failed future saying the client is closed. */
    @Test
    void chatAsyncAfterCloseFailsTheFuture() {
        GlmClient glm = client().build();
        glm.close();
        CompletableFuture<ChatResponse> f = assertDoesNotThrow(() -> glm.chatAsync(req()));
        Exception e = assertThrows(Exception.class, f::join);
        assertTrue(String.valueOf(e.getCause()).contains("closed"), String.valueOf(e.getCause()));
    }

    /** A stream that keeps sending (never idle) must not be cut by the blocking-call timeout. */
    @Test
    void aLiveStreamOutlastsTheCallTimeout() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            body.append("data: {\"id\":\"s\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok")
                    .append(i)
                    .append(" \"}}]}\n\n");
        }
        body.append(
                "data: {\"id\":\"s\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"delta\":{\"content\":\"\"}}],"
                        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":12,\"total_tokens\":13}}\n\ndata: [DONE]\n\n");
        // ~ 2.5 s in all, a chunk every 200 ms: never idle for the 1 s stream idle timeout.
        int n = body.length();
        server.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody(body.toString())
                .throttleBody(n / 12 + 1, 200, TimeUnit.MILLISECONDS));
        try (GlmClient glm = client().readTimeout(Duration.ofSeconds(1))
                .callTimeout(Duration.ofSeconds(1))
                .streamIdleTimeout(Duration.ofSeconds(1))
                .build()) {
            ChatResponse r = glm.chatStream(req(), d -> {});
            assertEquals(FinishReason.STOP, r.finishReason());
        }
    }

    /** A streamed answer that calls a tool loses the tool call. */
    @Test
    void streamedToolCallsAreReturned() {
        // the arguments arrive in two pieces, the second naming its call by index only
        String body =
                "data: {\"id\":\"t\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n"
                        + "data: {\"id\":\"t\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                        + "\"function\":{\"arguments\":\"\\\"Beijing\\\"}\"}}]}}]}\n\n"
                        + "data: {\"id\":\"t\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"delta\":{}}],"
                        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\ndata: [DONE]\n\n";
        server.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody(body));
        try (GlmClient glm = client().build()) {
            ChatRequest r = req().toBuilder()
                    .extraField(
                            "tools",
                            List.of(java.util.Map.of(
                                    "type", "function", "function", java.util.Map.of("name", "get_weather"))))
                    .build();
            ChatResponse resp = glm.chatStream(r, d -> {});
            assertEquals(FinishReason.TOOL_CALLS, resp.finishReason());
            assertEquals(
                    List.of(new ToolCall("call_1", "function", "get_weather", "{\"city\":\"Beijing\"}")),
                    resp.toolCalls());
        }
    }

    /** An embeddings answer whose item lacks "embedding" must be an error, not an empty vector. */
    @Test
    void embeddingItemWithoutVectorIsAnError() {
        server.enqueue(new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"model\":\"embedding-3\",\"data\":[{\"index\":0,\"object\":\"embedding\"}],"
                        + "\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}"));
        try (GlmClient glm = client().build()) {
            GlmException e =
                    assertThrows(GlmException.class, () -> glm.embed(EmbeddingRequest.of("embedding-3", List.of("a"))));
            assertTrue(e.getMessage().contains("item 0 has no vector"), e.getMessage());
        }
    }

    /** A stream request answered with plain JSON lacking choices should end in a GlmException naming the endpoint. */
    @Test
    void streamAnsweredWithJsonWithoutChoicesIsAGlmException() {
        server.enqueue(
                new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"id\":\"x\"}"));
        try (GlmClient glm = client().build()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> glm.chatStream(req(), d -> {}));
            assertInstanceOf(GlmException.class, e, e.toString());
            assertTrue(e.getMessage().contains("without choices"), e.getMessage());
        }
    }

    @Test
    void aBudgetCountsCallsCheaperThanAMicroUnit() {
        SpendLimit budget = SpendLimit.ofCost(0.000002);
        for (int i = 0; i < 4; i++) {
            budget.record(4, 4e-7); // 4 tokens at 0.1 USD per million: used to add 0
        }
        assertEquals(1.6e-6, budget.spentCost(), 1e-15);
        budget.record(4, 4e-7);
        assertTrue(budget.exhausted(), budget.toString());
    }

    @Test
    void extraFieldsCannotReplaceTheCheckedOnes() {
        for (String name : List.of("temperature", "stream", "model", "messages")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ChatRequest.builder("glm-4-flash")
                            .user("hi")
                            .extraField(name, 5.0)
                            .build(),
                    name);
            assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        }
        assertEquals(
                7,
                ChatRequest.builder("glm-4-flash")
                        .user("hi")
                        .extraField("seed", 7)
                        .build()
                        .extraFields()
                        .get("seed"));
    }

    @Test
    void aToolResultNeedsTheIdOfItsCallAndOnlyItCarriesOne() {
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage("tool", "{}", null));
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage("user", "hi", "call_1"));
        assertEquals("call_1", ChatMessage.tool("call_1", "{}").toolCallId());
    }
}
